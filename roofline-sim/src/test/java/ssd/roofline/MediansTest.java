package ssd.roofline;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MediansTest {
    @Test
    void middleValueOrMeanOfTheTwoMiddleOnesAndTheInputStaysAsItWas() {
        double[] odd = {3e12, 1e12, 2e12};
        assertThat(Medians.of(odd)).isEqualTo(2e12);
        assertThat(odd).containsExactly(3e12, 1e12, 2e12);
        assertThat(Medians.of(new double[]{4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(Medians.of(new double[]{7})).isEqualTo(7);
    }

    @Test
    void noValuesHaveNoMedian() {
        assertThatThrownBy(() -> Medians.of(new double[0])).isInstanceOf(IllegalArgumentException.class);
    }
}

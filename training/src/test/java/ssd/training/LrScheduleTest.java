package ssd.training;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LrScheduleTest {
    private final LrSchedule s = new LrSchedule(6e-4, 6e-5, 10, 110);

    @Test
    void warmUpIsLinearFromTheFirstStep() {
        assertThat(s.at(0)).isCloseTo(6e-5, within(1e-15));
        assertThat(s.at(4)).isCloseTo(3e-4, within(1e-15));
        assertThat(s.at(9)).isCloseTo(6e-4, within(1e-15));
    }

    @Test
    void cosineFromPeakToFloor() {
        assertThat(s.at(10)).isCloseTo(6e-4, within(1e-15));
        // Halfway through the decay the cosine is at the midpoint of peak and floor.
        assertThat(s.at(60)).isCloseTo((6e-4 + 6e-5) / 2, within(1e-15));
        // A quarter of the way: floor + (1 + cos(pi/4))/2 * (peak - floor).
        assertThat(s.at(35)).isCloseTo(6e-5 + 0.5 * (1 + Math.cos(Math.PI / 4)) * 5.4e-4, within(1e-15));
        for (long step = 10; step < 110; step++) assertThat(s.at(step + 1)).isLessThanOrEqualTo(s.at(step));
    }

    @Test
    void floorAtAndAfterTheEnd() {
        assertThat(s.at(110)).isEqualTo(6e-5);
        assertThat(s.at(10_000)).isEqualTo(6e-5);
        assertThat(s.at(109)).isGreaterThan(6e-5);
    }

    @Test
    void noWarmUp() {
        LrSchedule n = new LrSchedule(1e-3, 0, 0, 4);
        assertThat(n.at(0)).isEqualTo(1e-3);
        assertThat(n.at(2)).isCloseTo(5e-4, within(1e-15));
        assertThatThrownBy(() -> n.at(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}

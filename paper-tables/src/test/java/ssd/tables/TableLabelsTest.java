package ssd.tables;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The tables' names for a setup and a sampling mode (the figures spell them differently, see FigureLabels). */
class TableLabelsTest {
    @Test
    void setupAndSamplingModeAsTheTablesShowThem() {
        DecodeRun r = new DecodeRun("t/0", "baseline", "Test CPU", "fp32", new Sampling(0, 0), new int[]{1}, List.of(Origin.ORACLE), "x",
                1, 1, new RunStats(1, 0, 1, 1, 0));
        assertThat(TableLabels.setup(r)).isEqualTo("Test CPU, fp32");
        assertThat(TableLabels.samplingMode(new Sampling(0, 50))).isEqualTo("greedy");
        assertThat(TableLabels.samplingMode(new Sampling(1.0, 50))).isEqualTo("top-k (k=50, T=1)");
        assertThat(TableLabels.samplingMode(new Sampling(0.70, 0))).isEqualTo("sampling (T=0.7)");
    }
}

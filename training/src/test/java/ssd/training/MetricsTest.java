package ssd.training;

import org.junit.jupiter.api.Test;
import ssd.decoder.model.GPT2Config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MetricsTest {
    @Test
    void flopsPerTokenOfGpt2SmallMatchesNanoGpt() {
        GPT2Config small = GPT2Config.of(50257, 1024, 768, 12, 12);
        // nanoGPT: N = 124.44M - 0.79M (wpe) = 123.65M; 6N + 12 * 12 * 768 * 1024 = 741.9M + 113.2M.
        double expected = 6.0 * (small.parameterCount() - 1024L * 768) + 12.0 * 12 * 768 * 1024;
        FlopsEstimate f = FlopsEstimate.of(small, 1024);
        assertThat(f.flopsPerToken()).isEqualTo(expected);
        assertThat(f.flopsPerToken() / 1e6).isCloseTo(855.1, within(0.5));
        // 300k tokens/s on a 989 TFLOP/s card is about 26% MFU.
        assertThat(f.mfu(300_000, 989e12)).isCloseTo(0.2594, within(1e-3));
    }

    @Test
    void peaksOfKnownCards() {
        // The catalog's datasheet peaks (devices.json): 989.4 on Hopper SXM, not the rounded 989.
        assertThat(PeakFlops.forDeviceName("NVIDIA H100 80GB HBM3")).hasValue(989.4e12);
        assertThat(PeakFlops.forDeviceName("NVIDIA H100 PCIe")).hasValue(756e12);
        assertThat(PeakFlops.forDeviceName("NVIDIA H200")).hasValue(989.4e12);
        assertThat(PeakFlops.forDeviceName("NVIDIA A100-SXM4-80GB")).hasValue(312e12);
        assertThat(PeakFlops.forDeviceName("NVIDIA GeForce RTX 4090")).hasValue(165.2e12);
        assertThat(PeakFlops.forDeviceName("Tesla T4")).isEmpty();
        assertThat(PeakFlops.forDeviceName("AMD EPYC 7B13 (2 cores)")).isEmpty(); // the catalog's cpu prior is no peak
    }
}

package ssd.roofline.decode;

import org.junit.jupiter.api.Test;
import ssd.roofline.device.Device;
import ssd.roofline.device.DeviceCatalog;
import ssd.roofline.device.Launch;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class HostCostFitTest {
    private static final Device H200_FUSED = DeviceCatalog.get("h200").withName("NVIDIA H200 [cuda-graph+fused]").withLaunch(Launch.SERIAL);
    private static final HostCosts TRUE = new HostCosts(60e-6, 8e-6, 200e-6, 1e-6, 0.4e-6, 2e-6, 6e-6, "test");

    @Test
    void recoversThePerKernelCostAndHostCostsThatMadeTheRecords() {
        Device truth = H200_FUSED.withOverheads(2.5e-6, 0);
        List<DecodeRecord> records = SyntheticRecords.make(truth, TRUE, 8, 7);
        HostCostFit fit = HostCostFit.fit(records, H200_FUSED.withOverheads(9e-6, 3e-6), "synthetic");
        assertThat(fit.device().kernelLatency()).isCloseTo(2.5e-6, within(1e-9));
        assertThat(fit.device().hostOverheadPerOp()).isZero();
        double[] want = TRUE.values(), got = fit.host().values();
        for (int i = 0; i < want.length; i++) assertThat(got[i]).as(HostCosts.KEYS[i]).isCloseTo(want[i], within(1e-9));
        DecodeCheck check = DecodeCheck.of(records, fit.device(), fit.host());
        assertThat(check.maxAbsError()).isLessThan(1e-6);
        assertThat(check.report(0.2)).contains("PASS").contains("staged").contains("2.50 us per kernel");
    }

    @Test
    void aCheckWithTheWrongHostCostsFails() {
        Device truth = H200_FUSED.withOverheads(2.5e-6, 0);
        List<DecodeRecord> records = SyntheticRecords.make(truth, TRUE, 4, 11);
        DecodeCheck check = DecodeCheck.of(records, truth, HostCosts.NONE);
        assertThat(check.maxAbsError()).isGreaterThan(0.2);
        assertThat(check.report(0.2)).contains("FAIL");
        // Without host time the staged decoder looks far faster than it was measured.
        DecodeCheck.Group staged = check.groups().stream().filter(g -> g.method().label().equals("staged")).findFirst().orElseThrow();
        assertThat(staged.predictedTokensPerSecond()).isGreaterThan(staged.measuredTokensPerSecond());
    }
}

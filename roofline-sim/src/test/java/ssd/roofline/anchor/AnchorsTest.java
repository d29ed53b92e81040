package ssd.roofline.anchor;

import org.junit.jupiter.api.Test;
import ssd.common.Dtype;
import ssd.roofline.ModelShape;
import ssd.roofline.ModelShapes;
import ssd.roofline.cost.ForwardCostModel;
import ssd.roofline.cost.Workload;
import ssd.roofline.device.Device;
import ssd.roofline.device.DeviceCatalog;
import ssd.roofline.time.TimeModel;
import ssd.roofline.time.WorkloadTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The built-in devices reproduce the timings they were fitted to, and the stored constants are that fit. */
class AnchorsTest {
    private static final ModelShape LARGE = ModelShapes.preset("gpt2-large");

    @Test
    void rtx4090ReproducesThePapersBaseline() {
        Device d = DeviceCatalog.get("rtx4090");
        Workload w = ForwardCostModel.forward(LARGE, Dtype.FP16, 256, 1);
        WorkloadTime t = TimeModel.time(d, w, Dtype.FP16);
        double tokensPerSecond = 1 / t.seconds();
        double utilization = w.flops() / t.seconds() / d.peakFlops(Dtype.FP16);
        assertThat(tokensPerSecond).isBetween(148.0, 152.0);
        // 1.6 GFLOP/token (LM head included) -> 0.145%; the paper's "~0.13%" matches its ~1.4 GFLOP/token,
        // i.e. 2 FLOPs per non-embedding parameter.
        assertThat(utilization).isBetween(0.0012, 0.0015);
        double paperUtilization = 2.0 * LARGE.nonEmbeddingParameters() * tokensPerSecond / d.peakFlops(Dtype.FP16);
        assertThat(paperUtilization).isCloseTo(0.0013, within(0.00005));
        assertThat(t.hostSeconds() / t.seconds()).isCloseTo(0.35, within(0.01));
    }

    @Test
    void rtx4090ConstantsAreTheAnchorFit() {
        Device stored = DeviceCatalog.get("rtx4090");
        Device fitted = Anchors.PAPER_RTX4090.fit(stored.withOverheads(0, 0));
        assertThat(stored.kernelLatency()).isCloseTo(fitted.kernelLatency(), within(0.01 * fitted.kernelLatency()));
        assertThat(stored.hostOverheadPerOp()).isCloseTo(fitted.hostOverheadPerOp(), within(0.01 * fitted.hostOverheadPerOp()));
    }

    @Test
    void h200ReproducesTheGpuHostTimings() {
        Device stored = DeviceCatalog.get("h200");
        Workload w = ForwardCostModel.forward(ModelShapes.preset("gpt2"), Dtype.FP16, 0, 1);
        assertThat(TimeModel.time(stored, w, Dtype.FP16).seconds()).isCloseTo(2.64e-3, within(0.03e-3));
        // A CUDA graph removes per-op host work: what is left is roofline plus kernel latency.
        assertThat(TimeModel.time(stored.withOverheads(stored.kernelLatency(), 0), w, Dtype.FP16).seconds())
                .isCloseTo(0.53e-3, within(0.01e-3));
        Device fitted = Anchors.GPU_HOST_H200.fit(stored.withOverheads(0, 0));
        assertThat(stored.kernelLatency()).isCloseTo(fitted.kernelLatency(), within(0.01 * fitted.kernelLatency()));
        assertThat(stored.hostOverheadPerOp()).isCloseTo(fitted.hostOverheadPerOp(), within(0.01 * fitted.hostOverheadPerOp()));
    }
}

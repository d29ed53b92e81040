package ssd.roofline.calibrate;

import org.junit.jupiter.api.Test;
import ssd.common.Dtype;
import ssd.roofline.ModelShape;
import ssd.roofline.ModelShapes;
import ssd.roofline.device.Device;
import ssd.roofline.device.DeviceCatalog;
import ssd.roofline.device.Launch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CalibratorTest {
    private static final String CPU_NAME = "Intel Xeon Test CPU (2 cores)";

    @Test
    void recoversCpuComputePeakAndPerOpOverheadFromNoisyBench() {
        Device prior = DeviceCatalog.get("cpu");
        // The truth: 40% of the prior's peak, 25 us per op, 12 GB/s measured copy bandwidth, serial (a CPU).
        Device truth = prior.withComputeScale(0.4).withOverheads(0, 25e-6).withCopyBandwidth(12e9);
        List<ModelShape> shapes = List.of(ModelShapes.resolve("2x256"), ModelShapes.resolve("4x512"));
        List<BenchRow> rows = SyntheticBench.rows(CPU_NAME, truth, Dtype.FP32, shapes, new int[]{0, 256}, 0.03, 7);

        Calibration c = Calibrator.fit(rows, Calibrator.Mode.AUTO, "synthetic.csv");
        Device d = c.device();
        assertThat(d.name()).isEqualTo(CPU_NAME);
        assertThat(d.launch()).isEqualTo(Launch.SERIAL);
        assertThat(d.bandwidth()).isEqualTo(12e9);
        assertThat(d.fp32Flops()).isCloseTo(truth.fp32Flops(), within(0.10 * truth.fp32Flops()));
        assertThat(d.hostOverheadPerOp()).isCloseTo(25e-6, within(2.5e-6));
        assertThat(d.kernelLatency()).isZero();
        assertThat(c.maxAbsRelativeError()).isLessThan(0.25);
        assertThat(c.rmsRelativeError()).isLessThan(0.05);
    }

    @Test
    void recoversGpuKernelLatencyAndHostOverheadWhenBenchSpansBothRegimes() {
        Device prior = DeviceCatalog.get("h100-sxm");
        // Truth: pipelined stream, 60% of peak compute, 4 us kernel latency, 6 us host overhead per op.
        Device truth = prior.withLaunch(Launch.PIPELINED).withComputeScale(0.6).withOverheads(4e-6, 6e-6);
        List<ModelShape> shapes = List.of(ModelShapes.preset("gpt2"), ModelShapes.preset("gpt2-large"));
        List<BenchRow> rows = SyntheticBench.rows("NVIDIA H100 80GB HBM3", truth, Dtype.FP16, shapes, new int[]{0, 512}, 0.02, 11);

        Calibration c = Calibrator.fit(rows, Calibrator.Mode.AUTO, "synthetic.csv");
        Device d = c.device();
        assertThat(d.launch()).isEqualTo(Launch.PIPELINED);
        assertThat(d.kernelLatency()).isCloseTo(4e-6, within(0.6e-6));
        assertThat(d.hostOverheadPerOp()).isCloseTo(6e-6, within(0.6e-6));
        assertThat(c.maxAbsRelativeError()).isLessThan(0.25);
    }

    @Test
    void keepsPriorLatencyWhenEveryForwardIsHostBound() {
        Device prior = DeviceCatalog.get("h100-sxm");
        // 40 us host overhead swamps every kernel of GPT-2 small: kernel latency cannot show.
        Device truth = prior.withLaunch(Launch.PIPELINED).withOverheads(2e-6, 40e-6);
        List<BenchRow> rows = SyntheticBench.rows("NVIDIA H100 80GB HBM3", truth, Dtype.FP16,
                List.of(ModelShapes.preset("gpt2")), new int[]{0}, 0.01, 3);
        Calibration c = Calibrator.fit(rows, Calibrator.Mode.PIPELINED, "synthetic.csv");
        assertThat(c.device().hostOverheadPerOp()).isCloseTo(40e-6, within(2e-6));
        assertThat(c.device().kernelLatency()).isEqualTo(prior.kernelLatency(), within(1e-12));
        assertThat(c.notes()).anyMatch(n -> n.contains("does not constrain the kernel latency"));
    }

    @Test
    void evaluatesAnExistingDeviceWithoutFitting() {
        Device truth = DeviceCatalog.get("h200");
        List<BenchRow> rows = SyntheticBench.rows("NVIDIA H200", truth, Dtype.FP16,
                List.of(ModelShapes.preset("gpt2")), new int[]{0}, 0.0, 1);
        assertThat(Residuals.maxAbs(Residuals.of(rows, truth))).isLessThan(1e-9);
        Device wrong = truth.withOverheads(truth.kernelLatency(), 2 * truth.hostOverheadPerOp());
        assertThat(Residuals.maxAbs(Residuals.of(rows, wrong))).isGreaterThan(0.25);
    }

    @Test
    void refusesBenchFromSeveralDevices() {
        Device truth = DeviceCatalog.get("cpu");
        List<BenchRow> rows = new ArrayList<>(SyntheticBench.rows("cpu A", truth, Dtype.FP32, List.of(ModelShapes.resolve("2x256")), new int[]{0}, 0, 1));
        rows.addAll(SyntheticBench.rows("cpu B", truth, Dtype.FP32, List.of(ModelShapes.resolve("2x256")), new int[]{0}, 0, 1));
        assertThatThrownBy(() -> Calibrator.fit(rows, Calibrator.Mode.AUTO, "x.csv"))
                .hasMessageContaining("several devices (cpu A; cpu B)");
    }

    @Test
    void warnsWhenWeightBytesDisagreeWithTheShape() {
        Device truth = DeviceCatalog.get("cpu");
        List<BenchRow> rows = new ArrayList<>();
        for (BenchRow r : SyntheticBench.rows("cpu", truth, Dtype.FP32, List.of(ModelShapes.resolve("2x256")), new int[]{0}, 0, 1)) {
            rows.add(new BenchRow(r.device(), r.dtype(), r.shape(), r.prefixLen(), r.newTokens(), r.msPerForward(),
                    r.weightBytes() * 2, r.copyBandwidth()));
        }
        assertThat(Calibrator.fit(rows, Calibrator.Mode.SERIAL, "x.csv").notes())
                .anyMatch(n -> n.startsWith("weight_bytes") && n.contains("by +10"));
    }

    /**
     * Real timings: eager PyTorch GPT-2 small and large, fp16, 1-128 new tokens at prefixes 0 and 256, on an H200
     * (tools/torch_bench_forward.py). Host-bound throughout, so the fit is the per-op cost; one row is a dispatch
     * hiccup (5.8 ms between neighbours at 3.9 and 4.1 ms) and is allowed to miss.
     */
    @Test
    void calibratesRealH200EagerTimingsWithinTarget() throws Exception {
        Path bench = Path.of(getClass().getResource("/ssd/roofline/h200-torch-eager-bench.csv").toURI());
        Calibration c = Calibrator.fit(BenchCsv.read(bench), Calibrator.Mode.AUTO, "h200-torch-eager-bench.csv");
        long within = c.residuals().stream().filter(r -> Math.abs(r.relativeError()) <= 0.25).count();
        assertThat(within).isGreaterThanOrEqualTo(c.residuals().size() - 1);
        assertThat(c.rmsRelativeError()).isLessThan(0.10);
        // 1- vs 2-token forwards differ by the mask conversion kernels; the model must follow that step.
        for (Residual r : c.residuals()) {
            if (r.row().newTokens() <= 2) assertThat(Math.abs(r.relativeError())).as(r.row().toString()).isLessThan(0.10);
        }
    }
}

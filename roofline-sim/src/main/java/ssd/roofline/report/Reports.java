package ssd.roofline.report;

import ssd.common.Dtype;
import ssd.roofline.ModelShape;
import ssd.roofline.ModelShapes;
import ssd.roofline.calibrate.Calibration;
import ssd.roofline.calibrate.Residual;
import ssd.roofline.calibrate.Residuals;
import ssd.roofline.cost.ForwardCostModel;
import ssd.roofline.cost.Kernel;
import ssd.roofline.cost.Workload;
import ssd.roofline.device.Device;
import ssd.roofline.predict.MethodPrediction;
import ssd.roofline.time.TimeModel;
import ssd.roofline.time.WorkloadTime;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The readable tables printed by {@code ssd simulate}. */
public final class Reports {
    private Reports() {
    }

    public static String device(Device d, Dtype dtype) {
        return f("device  %s: %.1f GB/s%s, %.1f TFLOP/s %s, ridge %.0f FLOP/B, L2 %.0f MB, %d SMs%n"
                        + "        kernel latency %.2f us, host overhead %.2f us/op, launch %s%n"
                        + "        source: %s%n",
                d.name(), d.bandwidth() / 1e9, d.copyBandwidth() > 0 ? f(" (measured; datasheet %.1f)", d.memoryBandwidth() / 1e9) : "",
                d.peakFlops(dtype) / 1e12, dtype, d.ridgePoint(dtype), d.l2Bytes() / 1048576.0, d.smCount(),
                d.kernelLatency() * 1e6, d.hostOverheadPerOp() * 1e6, d.launch().label(), d.source());
    }

    /** One row per batch size: FLOPs, bytes, intensity, time and where it goes; then the batch-1 decoding rate. */
    public static String forwards(Device d, ModelShape m, Dtype dtype, int prefix, List<Integer> newTokens) {
        StringBuilder sb = new StringBuilder();
        sb.append(f("model   %s: %s, %s, prefix %d%n%n", ModelShapes.name(m), m.describe(), dtype, prefix));
        TextTable t = new TextTable("new_tokens", "GFLOP", "DRAM_MB", "FLOP/B", "kernels", "ms", "compute%", "memory%",
                "latency%", "host%", "util%", "bound");
        for (int n : newTokens) {
            Workload w = ForwardCostModel.forward(m, dtype, prefix, n);
            WorkloadTime wt = TimeModel.time(d, w, dtype);
            double s = wt.seconds();
            t.add(n, f("%.3f", w.flops() / 1e9), f("%.1f", w.bytes() / 1e6), f("%.2f", w.arithmeticIntensity()),
                    w.kernelCount(), f("%.3f", s * 1e3), pct(wt.computeSeconds(), s), pct(wt.memorySeconds(), s),
                    pct(wt.latencySeconds(), s), pct(wt.hostSeconds(), s),
                    f("%.3f", 100 * w.flops() / s / d.peakFlops(dtype)), wt.bound());
        }
        sb.append(t.render());
        Workload one = ForwardCostModel.forward(m, dtype, prefix, 1);
        double s1 = TimeModel.time(d, one, dtype).seconds();
        sb.append(f("%nbaseline (batch 1): %.1f tokens/s, %.3f%% of the %s peak; bandwidth floor %.1f tokens/s%n",
                1 / s1, 100 * one.flops() / s1 / d.peakFlops(dtype), dtype, d.bandwidth() / one.bytes()));
        sb.append("(compute/memory/latency/host: shares of the serial sum; util: executed FLOP/s over peak)\n");
        return sb.toString();
    }

    /** Per-kernel costs of one forward, summed over layers. */
    public static String kernels(Device d, ModelShape m, Dtype dtype, int prefix, int newTokens) {
        Workload w = ForwardCostModel.forward(m, dtype, prefix, newTokens);
        TextTable t = new TextTable("kernel", "count", "MFLOP", "weight_MB", "kv_MB", "act_MB", "FLOP/B", "roofline_us");
        Map<String, Kernel> byName = w.byName();
        for (Kernel k : byName.values()) {
            long count = w.kernels().stream().filter(x -> x.name().equals(k.name())).count();
            double roof = Math.max(k.flops() / d.peakFlops(dtype), k.bytes() / d.bandwidth());
            t.add(k.name(), count, f("%.2f", k.flops() / 1e6), f("%.2f", k.weightBytes() / 1e6), f("%.2f", k.kvBytes() / 1e6),
                    f("%.3f", k.activationBytes() / 1e6), f("%.2f", k.arithmeticIntensity()), f("%.1f", roof * 1e6));
        }
        return f("kernels of one forward (n=%d, prefix %d):%n", newTokens, prefix) + t.render();
    }

    /** Method-level predictions with speedup and DRAM per token relative to {@code baseline}. */
    public static String methods(List<MethodPrediction> predictions, MethodPrediction baseline) {
        TextTable t = new TextTable("method", "tokens", "oracle_calls", "tokens/call", "wall_s", "tokens/s", "speedup",
                "DRAM_MB/token", "DRAM_vs_base", "FLOP/B", "oracle%", "draft%", "ngram%");
        for (MethodPrediction p : predictions) {
            double w = p.wallSeconds();
            t.add(p.method(), p.generatedTokens(), p.oracleCalls(), f("%.2f", p.meanTokensPerOracleCall()), f("%.3f", w),
                    f("%.1f", p.tokensPerSecond()), f("%.2fx", p.tokensPerSecond() / baseline.tokensPerSecond()),
                    f("%.1f", p.dramBytesPerToken() / 1e6), f("%.2f", p.dramBytesPerToken() / baseline.dramBytesPerToken()),
                    f("%.2f", p.arithmeticIntensity()), pct(p.oracleSeconds(), w), pct(p.draftSeconds(), w), pct(p.ngramSeconds(), w));
        }
        return t.render();
    }

    /** Predicted vs measured per bench row, and the worst error against a target. */
    public static String residuals(List<Residual> residuals, double target) {
        TextTable t = new TextTable("model", "dtype", "prefix", "new_tokens", "measured_ms", "predicted_ms", "error%");
        for (Residual r : residuals) {
            t.add(ModelShapes.name(r.row().shape()), r.row().dtype(), r.row().prefixLen(), r.row().newTokens(),
                    f("%.3f", r.row().msPerForward()), f("%.3f", r.predictedMs()), f("%+.1f", 100 * r.relativeError()));
        }
        double worst = Residuals.maxAbs(residuals);
        return t.render() + f("max |error| %.1f%%, RMS %.1f%% (target %.0f%%): %s%n", 100 * worst,
                100 * Residuals.rms(residuals), 100 * target, worst <= target ? "within target" : "OUTSIDE target");
    }

    public static String calibration(Calibration c, double target) {
        StringBuilder sb = new StringBuilder();
        Device d = c.device();
        sb.append(f("fitted %s: bandwidth %.2f GB/s, peaks fp32 %.3g / fp16 %.3g / bf16 %.3g FLOP/s,%n"
                        + "       kernel latency %.3f us, host overhead %.3f us/op, launch %s%n",
                d.name(), d.bandwidth() / 1e9, d.fp32Flops(), d.fp16Flops(), d.bf16Flops(), d.kernelLatency() * 1e6,
                d.hostOverheadPerOp() * 1e6, d.launch().label()));
        for (String n : c.notes()) sb.append("note: ").append(n).append('\n');
        sb.append('\n').append(residuals(c.residuals(), target));
        return sb.toString();
    }

    private static String pct(double part, double whole) {
        return f("%.1f", 100 * part / whole);
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}

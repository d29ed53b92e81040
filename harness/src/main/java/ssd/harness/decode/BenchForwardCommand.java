package ssd.harness.decode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import ssd.decoder.bench.CopyProbe;
import ssd.decoder.bench.ForwardBench;
import ssd.common.MachineInfo;
import ssd.common.Dtype;
import ssd.decoder.forward.Forward;
import ssd.decoder.forward.ForwardMode;
import ssd.decoder.forward.ForwardModeCheck;
import ssd.decoder.forward.ForwardPlan;
import ssd.decoder.forward.Readout;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Model;
import ssd.harness.results.Provenance;
import ssd.harness.results.Invocation;
import ssd.harness.results.ResultFiles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ssd bench-forward}: ms per forward for several batch sizes, the weight bytes each streams, and the device's
 * copy bandwidth measured between the forwards (so each row is compared with the bandwidth of its own moment). Writes the CSV that {@code ssd simulate calibrate} reads. With
 * {@code --cuda-graphs} (or {@code --forward-mode static}) every shape is timed eagerly and in that mode, and
 * {@code --check} first verifies that the mode's logits match eager.
 */
@Command(name = "bench-forward", mixinStandardHelpOptions = true,
        description = "Time model forwards for 1..128 new tokens and measure copy bandwidth in the same run.")
public final class BenchForwardCommand implements Callable<Integer> {
    @Mixin
    ModelSource source;

    @Mixin
    RuntimeOptions runtime;

    @Option(names = "--new-tokens", split = ",", defaultValue = "1,8,32,64,128", description = "default: ${DEFAULT-VALUE}")
    int[] newTokens;

    @Option(names = "--prefix", defaultValue = "128", description = "KV prefix length (default: ${DEFAULT-VALUE})")
    int prefix;

    @Option(names = "--warmup", defaultValue = "3")
    int warmup;

    @Option(names = "--iters", defaultValue = "10")
    int iterations;

    @Option(names = "--copy-mib", defaultValue = "512", description = "size of the bandwidth probe's array (default: ${DEFAULT-VALUE} MiB)")
    int copyMib;

    @Option(names = "--readout", defaultValue = "logits", description = "what each timed forward reads back: logits (kept on "
            + "the device, one argmax read), argmax (every row's, as greedy verification), top-W (every row's W most probable "
            + "tokens and probabilities, as a staged draft level; e.g. top-32). Default: ${DEFAULT-VALUE}")
    String readout;

    @Option(names = "--out", description = "CSV to write (with a .provenance.json beside it)")
    Path out;

    @Option(names = "--check", description = "with --cuda-graphs or --forward-mode static: first compare that mode's logits with eager "
            + "(prefill, decode, trees with commit, grown cache) and fail if they disagree")
    boolean check;

    @Override
    public Integer call() throws Exception {
        ForwardPlan plan = runtime.plan();
        ForwardMode mode = plan.mode();
        if (check && mode == ForwardMode.EAGER) throw new IllegalArgumentException("--check compares a mode with eager: add --cuda-graphs or --forward-mode static");
        String machine = MachineInfo.describe(runtime.deviceFlag());
        try (GPT2Model model = source.open(runtime); Forward eagerForward = Forward.create(model, plan.withMode(ForwardMode.EAGER));
             Forward modeForward = Forward.create(model, plan)) {
            GPT2Config c = model.config();
            if (check) checkAgainstEager(model, plan, eagerForward, modeForward);
            List<ForwardBench.Result> eager, other;
            try (CopyProbe copy = new CopyProbe(model.device(), (long) copyMib << 20)) {
                // Eager always; with another mode, the same shapes again in that mode (warm-up >= 1 keeps capture untimed).
                Readout r = parseReadout(readout);
                eager = ForwardBench.run(eagerForward, prefix, newTokens, warmup, iterations, 7, copy, r);
                other = mode == ForwardMode.EAGER ? List.of()
                        : ForwardBench.run(modeForward, prefix, newTokens, Math.max(1, warmup), iterations, 7, copy, r);
            }
            System.out.printf(Locale.ROOT, "model %s, %s on %s%n", source.describe(), runtime.dtype().flagName(), machine);
            if (mode != ForwardMode.EAGER) for (int n : newTokens) System.out.printf(Locale.ROOT, "path of %d rows: %s%n", n, modeForward.pathFor(n));
            System.out.println("median of " + iterations + " forwards, each reading back " + readout + "; each followed by a " + copyMib
                    + " MiB copy whose bandwidth (read + write) the row is compared with");
            System.out.printf(Locale.ROOT, "%-10s %8s %8s %12s %10s %12s %13s %16s%n", "mode", "prefix", "new", "ms/forward", "std",
                    "weights MB", "weights GB/s", "copy GB/s (max)");
            StringBuilder csv = new StringBuilder("device,dtype,n_layer,n_embd,n_head,vocab_size,n_positions,prefix_len,new_tokens,ms_per_forward,weight_bytes,copy_bandwidth_bytes_per_s\n");
            for (int i = 0; i < eager.size(); i++) {
                row(csv, machine, ForwardMode.EAGER.flagName(), eager.get(i), c, null);
                if (!other.isEmpty()) row(csv, machine, modeLabel(modeForward, other.get(i).newTokens()), other.get(i), c, eager.get(i));
            }
            if (out != null) {
                ResultFiles.write(out, csv.toString(), Provenance.of(Invocation.get(), machine));
                System.out.println("wrote " + out);
            }
        }
        return 0;
    }

    /** {@code logits} (null: no readout), {@code argmax} or {@code top-W}; anything else is refused, naming the value. */
    static Readout parseReadout(String value) {
        if (value.equals("logits")) return null;
        if (value.equals("argmax")) return Readout.argmax();
        if (value.matches("top-[1-9][0-9]{0,5}")) return Readout.top(1.0, 0, Integer.parseInt(value.substring(4)));
        throw new IllegalArgumentException("--readout " + value + ": expected logits, argmax or top-W (W a positive integer, e.g. top-32)");
    }

    /** The mode as a row names it: "cuda-graph+fused" where the fused kernels ran (up to their row limit). */
    static String modeLabel(Forward forward, int newTokens) {
        String mode = forward.plan().mode().flagName();
        return forward.fusedKernels(newTokens) ? mode + "+fused" : mode;
    }

    /** One printed line and one CSV line; rows of a non-eager mode carry it in the device name, so calibration keeps them apart. */
    private void row(StringBuilder csv, String machine, String mode, ForwardBench.Result r, GPT2Config c, ForwardBench.Result eager) {
        String speedup = eager == null ? "" : String.format(Locale.ROOT, ", %.2fx eager", eager.msPerForward() / r.msPerForward());
        System.out.printf(Locale.ROOT, "%-10s %8d %8d %12.3f %10.3f %12.1f %13.2f %8.2f (%5.2f) %3.0f%% of copy bandwidth (%.0f%% of max)%s%n",
                mode, r.prefixLength(), r.newTokens(), r.msPerForward(), r.msStdDev(), r.weightBytes() / 1e6,
                r.weightStreamBytesPerSecond() / 1e9, r.copyBytesPerSecond() / 1e9, r.copyPeakBytesPerSecond() / 1e9,
                100 * r.fractionOfCopyBandwidth(), 100 * r.weightStreamBytesPerSecond() / r.copyPeakBytesPerSecond(), speedup);
        String device = mode.equals(ForwardMode.EAGER.flagName()) ? machine : machine + " [" + mode + "]";
        csv.append(String.format(Locale.ROOT, "\"%s\",%s,%d,%d,%d,%d,%d,%d,%d,%.6f,%d,%.0f%n", device.replace("\"", "'"),
                runtime.dtype().flagName(), c.nLayer(), c.nEmbd(), c.nHead(), c.vocabSize(), c.nPositions(),
                r.prefixLength(), r.newTokens(), r.msPerForward(), r.weightBytes(), r.copyBytesPerSecond()));
    }

    /**
     * The mode's logits against eager in every scenario of {@link ForwardModeCheck}; for CUDA graphs also against the
     * static forward they captured (same kernels, so a tighter tolerance). Throws if any scenario fails.
     */
    private void checkAgainstEager(GPT2Model model, ForwardPlan plan, Forward eager, Forward tested) {
        ForwardMode mode = plan.mode();
        boolean fp32 = runtime.dtype() == Dtype.FP32;
        float vsEager = fp32 ? 1e-3f : runtime.dtype() == Dtype.FP16 ? 5e-2f : 2e-1f;
        List<ForwardModeCheck.Outcome> all = new ArrayList<>();
        System.out.println("check: " + mode.flagName() + " vs eager");
        all.addAll(report(ForwardModeCheck.run(eager, tested, vsEager, 5)));
        if (mode == ForwardMode.CUDA_GRAPH) {
            System.out.println("check: cuda-graph vs static (the forward it captured)");
            try (Forward statics = Forward.create(model, plan.withMode(ForwardMode.STATIC))) {
                all.addAll(report(ForwardModeCheck.run(statics, tested, fp32 ? 1e-5f : vsEager / 10, 6)));
            }
        }
        long failed = all.stream().filter(o -> !o.passed() || o.staticForwards() != o.forwards()).count();
        if (failed > 0) throw new IllegalStateException("--check: " + failed + " of " + all.size() + " scenarios failed (see above)");
        System.out.println("check: all " + all.size() + " scenarios passed");
    }

    private static List<ForwardModeCheck.Outcome> report(List<ForwardModeCheck.Outcome> outcomes) {
        for (ForwardModeCheck.Outcome o : outcomes) System.out.println("  " + o.describe());
        return outcomes;
    }
}

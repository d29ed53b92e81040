package ssd.harness.decode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import ssd.decoder.bench.ForwardBench;
import ssd.decoder.bench.MachineInfo;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Model;
import ssd.harness.results.Provenance;
import ssd.harness.results.Invocation;
import ssd.harness.results.ResultFiles;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ssd bench-forward}: ms per forward for several batch sizes, the weight bytes each streams, and the device's
 * copy bandwidth measured in the same run. Writes the CSV that {@code ssd simulate calibrate} reads.
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

    @Option(names = "--out", description = "CSV to write (with a .provenance.json beside it)")
    Path out;

    @Override
    public Integer call() throws Exception {
        String machine = MachineInfo.describe(runtime.deviceFlag());
        try (GPT2Model model = source.open(runtime)) {
            GPT2Config c = model.config();
            double bandwidth = ForwardBench.copyBandwidth(model.device(), (long) copyMib << 20, 5);
            List<ForwardBench.Result> results = ForwardBench.run(model, prefix, newTokens, warmup, iterations, 7);
            System.out.printf(Locale.ROOT, "model %s, %s on %s%n", source.describe(), runtime.dtype().flagName(), machine);
            System.out.printf(Locale.ROOT, "copy bandwidth (read+write): %.2f GB/s%n", bandwidth / 1e9);
            System.out.printf(Locale.ROOT, "%8s %8s %12s %10s %14s %16s%n", "prefix", "new", "ms/forward", "std", "weights MB", "weights GB/s");
            StringBuilder csv = new StringBuilder("device,dtype,n_layer,n_embd,n_head,vocab_size,n_positions,prefix_len,new_tokens,ms_per_forward,weight_bytes,copy_bandwidth_bytes_per_s\n");
            for (ForwardBench.Result r : results) {
                System.out.printf(Locale.ROOT, "%8d %8d %12.3f %10.3f %14.1f %16.2f (%.0f%% of copy bandwidth)%n", r.prefixLength(), r.newTokens(),
                        r.msPerForward(), r.msStdDev(), r.weightBytes() / 1e6, r.weightStreamBytesPerSecond() / 1e9,
                        100 * r.weightStreamBytesPerSecond() / bandwidth);
                csv.append(String.format(Locale.ROOT, "\"%s\",%s,%d,%d,%d,%d,%d,%d,%d,%.6f,%d,%.0f%n", machine.replace("\"", "'"),
                        runtime.dtype().flagName(), c.nLayer(), c.nEmbd(), c.nHead(), c.vocabSize(), c.nPositions(),
                        r.prefixLength(), r.newTokens(), r.msPerForward(), r.weightBytes(), bandwidth));
            }
            if (out != null) {
                ResultFiles.write(out, csv.toString(), Provenance.of(Invocation.get(), machine));
                System.out.println("wrote " + out);
            }
        }
        return 0;
    }
}

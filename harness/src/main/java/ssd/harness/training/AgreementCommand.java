package ssd.harness.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ssd.datasets.shards.TokenShards;
import ssd.common.MachineInfo;
import ssd.decoder.torch.Torch;
import ssd.harness.decode.ThreadsOption;
import ssd.harness.results.Invocation;
import ssd.harness.results.Provenance;
import ssd.harness.results.ResultFiles;
import ssd.training.Agreement;
import ssd.training.ComputePrecision;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ssd train agreement}: how often each draft's top-1 / top-4 holds the oracle's top-1 on the validation windows. */
@Command(name = "agreement", mixinStandardHelpOptions = true,
        description = {"Score drafts against an oracle on the same validation windows: top-1 agreement (draft argmax = oracle argmax),",
                "top-4 agreement (oracle argmax within the draft's top 4), both models' validation losses and KL(oracle || draft) per token.",
                "Writes FILE (JSON) and FILE.provenance.json."})
public final class AgreementCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @picocli.CommandLine.Mixin
    ThreadsOption threads;

    @Option(names = "--oracle", paramLabel = "DIR", required = true, description = "oracle checkpoint")
    Path oracle;

    @Option(names = "--draft", paramLabel = "DIR", required = true, description = "draft checkpoint (repeat for several)")
    List<Path> drafts;

    @Option(names = "--corpus", paramLabel = "DIR", required = true, description = "token corpus (its val split is scored)")
    Path corpus;

    @Option(names = "--tokens", paramLabel = "N", defaultValue = "262144", description = "predicted tokens to score (default: ${DEFAULT-VALUE})")
    long tokens;

    @Option(names = "--context", defaultValue = "1024", description = "window length, capped at the models' context (default: ${DEFAULT-VALUE})")
    int context;

    @Option(names = "--batch", defaultValue = "8", description = "windows per forward (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda or cuda:N (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--compute-dtype", defaultValue = "auto", description = "auto (bf16 on CUDA, fp32 on CPU), fp32 or bf16 (default: ${DEFAULT-VALUE})")
    String computeDtype;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "results JSON to write")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(corpus)) throw new IllegalArgumentException("--corpus " + corpus + ": directory does not exist");
        threads.apply();
        org.bytedeco.pytorch.Device d = Torch.device(device);
        long t0 = System.nanoTime();
        Agreement.Report r = Agreement.measure(oracle, drafts, TokenShards.open(corpus), context, tokens, batch, d,
                ComputePrecision.parse(computeDtype, d));
        double seconds = (System.nanoTime() - t0) / 1e9;
        PrintWriter console = spec.commandLine().getOut();
        console.printf(Locale.ROOT, "%d windows of %d tokens (%,d positions), %s compute, %.1f s; oracle %s: val loss %.4f%n", r.windows(),
                r.seqLen(), r.positions(), r.computeDtype(), seconds, r.oracle(), r.oracleValLoss());
        console.printf(Locale.ROOT, "%-40s %9s %8s %8s %9s%n", "draft", "val loss", "top-1", "top-4", "KL(o||d)");
        for (Agreement.DraftResult x : r.drafts()) {
            console.printf(Locale.ROOT, "%-40s %9.4f %7.2f%% %7.2f%% %9.4f%n", x.draft(), x.valLoss(), 100 * x.top1(), 100 * x.topK(), x.klOracleDraft());
        }
        ResultFiles.write(out, JSON.writeValueAsString(r), Provenance.of(Invocation.get(), MachineInfo.describe(device)));
        console.println("wrote " + out);
        return 0;
    }
}

package ssd.harness.training;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import ssd.training.Comparison;
import ssd.training.ComputePrecision;
import ssd.training.ModelComparison;
import ssd.training.Role;
import ssd.training.RoleSettings;
import ssd.training.RunLayout;
import ssd.training.TrainRequest;
import ssd.training.TrainSummary;
import ssd.training.Trainer;
import ssd.training.TrainingProfile;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ssd train}: trains the oracle or the draft of a profile on a token corpus, writing Hugging Face checkpoints,
 * train-log.csv and summary.json under --out; {@code ssd train compare} scores an oracle and a draft on the same
 * validation windows.
 */
@Command(name = "train", mixinStandardHelpOptions = true, subcommands = {TrainCommand.Compare.class, AgreementCommand.class},
        description = {"Train the oracle or the draft of a profile (fp32 master weights, bf16 compute on CUDA, AdamW, warm-up + cosine).",
                "With --distill-from ORACLE the draft learns from the oracle's logits: (1 - alpha) CE + alpha T^2 KL(oracle || draft).",
                "Writes OUT/checkpoint-STEP/, OUT/final/ (Hugging Face format), OUT/train-log.csv, OUT/train-state/ and OUT/summary.json."})
public final class TrainCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @picocli.CommandLine.Mixin
    ThreadsOption threads;

    @Option(names = "--profile", paramLabel = "P", description = "mini, paper, or a profile .json file")
    String profile;

    @Option(names = "--role", paramLabel = "ROLE", description = "oracle or draft")
    String role;

    @Option(names = "--corpus", paramLabel = "DIR", description = "token corpus (from `ssd corpus build`)")
    Path corpus;

    @Option(names = "--out", paramLabel = "DIR", description = "run directory")
    Path out;

    @Option(names = "--init", paramLabel = "CKPT", description = "start from this Hugging Face GPT-2 checkpoint (its shape replaces the profile's)")
    Path init;

    @Option(names = "--resume", description = "continue the interrupted run in --out exactly (optimizer state included)")
    boolean resume;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda or cuda:N (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--compute-dtype", defaultValue = "auto", description = "auto (bf16 on CUDA, fp32 on CPU), fp32 or bf16 (default: ${DEFAULT-VALUE})")
    String computeDtype;

    @Option(names = "--peak-tflops", paramLabel = "T", description = "peak dense TFLOP/s for MFU (default: looked up from the GPU name; n/a on CPU)")
    Double peakTflops;

    @Option(names = "--train-tokens", paramLabel = "N", description = "override the profile's token budget")
    Long trainTokens;

    @Option(names = "--micro-batch", paramLabel = "B", description = "override windows per forward (tokens per step unchanged: grad_accum compensates)")
    Integer microBatch;

    @Option(names = "--stop-at", paramLabel = "STEP", defaultValue = "0", description = "stop after this step, leaving a state for --resume")
    long stopAt;

    @Option(names = "--compare-with", paramLabel = "CKPT", description = "the other role's checkpoint: score both on the same validation windows after training")
    Path compareWith;

    @Option(names = "--distill-from", paramLabel = "ORACLE",
            description = "distil the draft from this oracle checkpoint, with the profile's \"distill\" settings (budget, micro-batch, alpha, T)")
    Path distillFrom;

    @Option(names = "--distill-alpha", paramLabel = "A", description = "override the weight of the KL term, in [0, 1]")
    Double distillAlpha;

    @Option(names = "--distill-temperature", paramLabel = "T", description = "override the distillation temperature (> 0)")
    Double distillTemperature;

    @Option(names = "--no-progress", description = "no progress bar")
    boolean noProgress;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        for (Object[] required : new Object[][]{{profile, "--profile P"}, {role, "--role oracle|draft"}, {corpus, "--corpus DIR"}, {out, "--out DIR"}}) {
            if (required[0] == null) throw new IllegalArgumentException(required[1] + " is required (see ssd train --help)");
        }
        TrainingProfile p = TrainingProfile.load(profile);
        Role r = Role.parse(role);
        RoleSettings settings = p.role(r);
        if ((distillAlpha != null || distillTemperature != null) && distillFrom == null) {
            throw new IllegalArgumentException("--distill-alpha and --distill-temperature need --distill-from ORACLE");
        }
        if (distillFrom != null) {
            if (r != Role.DRAFT) throw new IllegalArgumentException("--distill-from trains a draft: pass --role draft");
            settings = settings.forDistillation("draft role of profile " + profile);
            if (distillAlpha != null) settings = settings.withDistill(settings.distill().withAlpha(distillAlpha));
            if (distillTemperature != null) settings = settings.withDistill(settings.distill().withTemperature(distillTemperature));
        }
        if (trainTokens != null) settings = settings.withTrainTokens(trainTokens);
        if (microBatch != null) settings = settings.withMicroBatch(microBatch);
        TrainRequest req = new TrainRequest(p, r, settings, corpus, out, init, resume, device, computeDtype, peakTflops, stopAt,
                !noProgress, compareWith, distillFrom);
        PrintWriter console = spec.commandLine().getOut();
        threads.apply();
        TrainSummary s = new Trainer(req, console).run();
        console.printf(Locale.ROOT, "%s %s: %d/%d steps, %.1fM tokens, train loss %.4f, val loss %.4f, %.0f s, %.0f tokens/s%s%n",
                s.profile(), s.role(), s.steps(), s.totalSteps(), s.tokens() / 1e6, s.finalTrainLoss(), s.finalValLoss(), s.elapsedSeconds(),
                s.tokensPerSecond(), s.mfu() == null ? "" : String.format(Locale.ROOT, ", MFU %.1f%%", 100 * s.mfu()));
        Path summary = new RunLayout(out).summary();
        if (Files.exists(summary)) {
            ResultFiles.writeAtomically(Provenance.sidecar(summary),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(Provenance.of(Invocation.get(), MachineInfo.describe(device)).asMap()));
            console.println("wrote " + summary);
        }
        return 0;
    }

    /** {@code ssd train compare}: the oracle must have the lower validation loss; exit status 1 when it does not. */
    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = "Score an oracle and a draft checkpoint on the same validation windows; fails unless the oracle's loss is lower.")
    public static final class Compare implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ThreadsOption threads;

        @Option(names = "--oracle", paramLabel = "DIR", required = true)
        Path oracle;

        @Option(names = "--draft", paramLabel = "DIR", required = true)
        Path draft;

        @Option(names = "--corpus", paramLabel = "DIR", required = true)
        Path corpus;

        @Option(names = "--context", defaultValue = "1024", description = "window length, capped at the models' context (default: ${DEFAULT-VALUE})")
        int context;

        @Option(names = "--eval-tokens", defaultValue = "262144", description = "predicted tokens to score (default: ${DEFAULT-VALUE})")
        long evalTokens;

        @Option(names = "--batch", defaultValue = "8", description = "windows per forward (default: ${DEFAULT-VALUE})")
        int batch;

        @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda or cuda:N (default: ${DEFAULT-VALUE})")
        String device;

        @Option(names = "--compute-dtype", defaultValue = "auto", description = "auto, fp32 or bf16 (default: ${DEFAULT-VALUE})")
        String computeDtype;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (context <= 0 || evalTokens <= 0 || batch <= 0) throw new IllegalArgumentException("--context, --eval-tokens and --batch must be positive");
            if (!Files.isDirectory(corpus)) throw new IllegalArgumentException("corpus directory " + corpus + " does not exist");
            threads.apply();
            org.bytedeco.pytorch.Device d = Torch.device(device);
            Comparison c = ModelComparison.compare(oracle, draft, TokenShards.open(corpus), context, evalTokens, batch, d,
                    ComputePrecision.parse(computeDtype, d));
            spec.commandLine().getOut().println(c.describe());
            if (!c.oracleLower()) throw new IllegalStateException("the oracle's validation loss is not lower than the draft's: " + c.describe());
            return 0;
        }
    }
}

package ssd.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import ssd.common.AtomicFiles;
import ssd.datasets.shards.Manifest;
import ssd.datasets.shards.ShardFiles;
import ssd.datasets.shards.TokenShards;
import ssd.common.MachineInfo;
import ssd.common.Dtype;
import ssd.decoder.model.GPT2Checkpoint;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.model.GPT2Weights;
import ssd.decoder.torch.Torch;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The training loop of {@code ssd train}: fp32 master weights, forward/backward in the compute dtype, gradient
 * accumulation, global-norm clipping, AdamW with warm-up + cosine, periodic validation / CSV log / checkpoints, and
 * a train-state that --resume continues from exactly. Every step runs inside a {@link PointerScope}, so the only
 * native memory that outlives a step is the masters, their gradients and the optimiser moments (and, when
 * distilling, the oracle's inference weights).
 *
 * <p>With {@code --distill-from} the draft learns from the oracle's logits on the same windows
 * ({@link DistillationLoss}); everything else (schedule, logs, checkpoints, resume) is plain training's.
 */
public final class Trainer {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Hugging Face checkpoint shard size (files stay well under the 2 GiB the safetensors reader maps). */
    static final long CHECKPOINT_SHARD_BYTES = 1L << 30;

    private final TrainRequest req;
    private final PrintWriter out;

    public Trainer(TrainRequest req, PrintWriter out) {
        this.req = req;
        this.out = out;
    }

    public TrainSummary run() {
        if (!Files.isDirectory(req.corpus())) {
            throw new IllegalArgumentException("corpus directory " + req.corpus() + " does not exist (build one with `ssd corpus build`)");
        }
        if (req.init() != null && !Files.isDirectory(req.init())) {
            throw new IllegalArgumentException("--init " + req.init() + ": checkpoint directory does not exist");
        }
        if (req.compareWith() != null && !Files.isDirectory(req.compareWith())) {
            throw new IllegalArgumentException("--compare-with " + req.compareWith() + ": checkpoint directory does not exist");
        }
        if (req.distillFrom() != null) {
            checkTeacher(req.init() != null ? GPT2Checkpoint.readConfig(req.init()).vocabSize() : req.settings().vocabSize());
        }
        Device device = Torch.device(req.device());
        ComputePrecision precision = ComputePrecision.parse(req.computeDtype(), device);
        TokenShards corpus = TokenShards.open(req.corpus());
        String corpusSha = ShardFiles.sha256(req.corpus().resolve(Manifest.FILE));
        RunLayout layout = new RunLayout(req.out());
        // A run killed before its first saved state has nothing to resume: --resume starts it again from step 0.
        boolean hasState = StateDirs.existing(layout.state()) != null;
        if (req.resume() && !hasState) out.printf(Locale.ROOT, "no train-state in %s yet: starting from step 0%n", layout.dir());
        if (req.resume() && hasState) {
            TrainSummary done = completedRun(layout, checkResumable(layout, precision, corpusSha));
            if (done != null) return requireOracleLower(done, layout);
        }
        layout.removeLeftovers();
        Start start = req.resume() && hasState ? resume(layout, device, precision, corpusSha) : fresh(layout, device, req.resume());
        try (GPT2Weights masters = start.masters(); AdamWOptimizer optimizer = start.optimizer();
             FrozenModel teacher = req.distillFrom() == null ? null : FrozenModel.load(req.distillFrom(), "--distill-from", device, precision)) {
            Loop loop = new Loop(start, layout, corpus, device, precision, corpusSha, teacher);
            TrainSummary summary = loop.run(masters, optimizer);
            // A distilled draft is checked against its own oracle unless another one is named.
            Path other = req.compareWith() != null ? req.compareWith() : req.distillFrom();
            if (summary.complete() && other != null) {
                summary = compare(summary, corpus, device, precision, layout, other);
            }
            writeSummary(layout, summary);
            // The final state last: once it says "complete", summary.json exists (see completedRun).
            if (summary.complete()) TrainStateStore.save(layout.state(), masters, optimizer, loop.finalState);
            return requireOracleLower(summary, layout);
        }
    }

    /** The summary, unless its comparison found the oracle no better than the draft (then the run fails, resumed or not). */
    private static TrainSummary requireOracleLower(TrainSummary summary, RunLayout layout) {
        if (summary.comparison() != null && !summary.comparison().oracleLower()) {
            throw new IllegalStateException("oracle validation loss " + fmt(summary.comparison().oracleValLoss())
                    + " is not lower than the draft's " + fmt(summary.comparison().draftValLoss()) + " (see " + layout.summary() + ")");
        }
        return summary;
    }

    /** Where a run begins: weights, optimiser, settings and counters (step 0 or a restored state). */
    private record Start(GPT2Weights masters, AdamWOptimizer optimizer, RoleSettings settings, long step, long tokens,
                         double elapsedSeconds, double lastTrainLoss, double intervalLossSum, long intervalSteps) {
    }

    /**
     * The summary of a run whose saved state is already complete (killed after it finished, or resumed twice): --resume
     * then has nothing to do. Null when the state is not complete.
     */
    private TrainSummary completedRun(RunLayout layout, TrainState s) {
        if (s.step() < s.settings().totalSteps()) return null;
        if (!Files.exists(layout.summary())) {
            throw new IllegalArgumentException("--resume: the run in " + layout.dir() + " is complete (step " + s.step() + ") but has no "
                    + layout.summary().getFileName());
        }
        out.printf(Locale.ROOT, "%s is already complete (step %d of %d): nothing to resume%n", layout.dir(), s.step(), s.settings().totalSteps());
        try {
            return JSON.readValue(layout.summary().toFile(), TrainSummary.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + layout.summary() + ": " + e.getMessage(), e);
        }
    }

    private Start fresh(RunLayout layout, Device device, boolean restartingAKilledRun) {
        if (!restartingAKilledRun && layout.holdsRun()) {
            throw new IllegalArgumentException("--out " + layout.dir() + " already holds a training run: pass --resume to continue it, or choose another --out");
        }
        RoleSettings settings = req.settings();
        GPT2Weights masters;
        if (req.init() != null) {
            masters = GPT2Checkpoint.load(req.init(), Dtype.FP32, device);
            settings = settings.withShape(masters.config());
        } else {
            masters = GPT2Weights.random(settings.config(), settings.seed(), 0.02, device, torch.ScalarType.Float);
        }
        for (Tensor p : masters.parameters()) p.requires_grad_(true);
        try {
            Files.createDirectories(layout.dir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + layout.dir() + ": " + e.getMessage(), e);
        }
        return new Start(masters, AdamWOptimizer.create(masters.parameters(), settings.adamW()), settings, 0, 0, 0, Double.NaN, 0, 0);
    }

    /** The saved state, when this invocation continues the same run (profile, role, settings, corpus, compute dtype). */
    private TrainState checkResumable(RunLayout layout, ComputePrecision precision, String corpusSha) {
        TrainState s = TrainStateStore.readState(layout.state());
        RoleSettings expected = s.init() != null ? req.settings().withShape(s.settings().config()) : req.settings();
        if (!s.profile().equals(req.profile().name()) || !s.role().equals(req.role().flagName())) {
            throw new IllegalArgumentException("--resume: " + layout.dir() + " holds a " + s.profile() + " " + s.role() + " run, not "
                    + req.profile().name() + " " + req.role().flagName());
        }
        String distillFrom = distillSource();
        if (!java.util.Objects.equals(s.distillFrom(), distillFrom)) {
            throw new IllegalArgumentException("--resume: the run in " + layout.dir() + (s.distillFrom() == null ? " is plain training"
                    : " distils from " + s.distillFrom()) + ", this invocation " + (distillFrom == null ? "has no --distill-from"
                    : "distils from " + distillFrom));
        }
        if (!expected.equals(s.settings())) {
            throw new IllegalArgumentException("--resume: the settings differ from those the run in " + layout.dir()
                    + " was started with (same profile file and overrides are needed to continue exactly)");
        }
        if (!s.corpusManifestSha256().equals(corpusSha)) {
            throw new IllegalArgumentException("--resume: corpus " + req.corpus() + " is not the one the run was started on (manifest sha256 differs)");
        }
        if (!s.computeDtype().equals(precision.flagName())) {
            throw new IllegalArgumentException("--resume: the run computes in " + s.computeDtype() + ", this invocation in " + precision.flagName());
        }
        return s;
    }

    private Start resume(RunLayout layout, Device device, ComputePrecision precision, String corpusSha) {
        TrainState s = checkResumable(layout, precision, corpusSha);
        if (s.step() >= s.settings().totalSteps()) {
            throw new IllegalArgumentException("--resume: the run in " + layout.dir() + " is already complete (step " + s.step() + " of " + s.settings().totalSteps() + ")");
        }
        TrainStateStore.Restored r = TrainStateStore.load(layout.state(), device);
        AdamWOptimizer opt = AdamWOptimizer.restore(r.masters().parameters(), r.expAvg(), r.expAvgSq(), s.settings().adamW(), s.step());
        out.printf(Locale.ROOT, "resuming %s at step %d of %d (%s tokens)%n", layout.dir(), s.step(), s.settings().totalSteps(), millions(s.tokens()));
        return new Start(r.masters(), opt, s.settings(), s.step(), s.tokens(), s.elapsedSeconds(), s.lastTrainLoss(), s.intervalLossSum(),
                s.intervalSteps());
    }

    /** Refuses an oracle (--distill-from) that cannot teach a draft of {@code vocab} tokens on the run's windows, before anything is written. */
    private void checkTeacher(int vocab) {
        if (!Files.isDirectory(req.distillFrom())) {
            throw new IllegalArgumentException("--distill-from " + req.distillFrom() + ": checkpoint directory does not exist");
        }
        GPT2Config c = GPT2Checkpoint.readConfig(req.distillFrom());
        if (c.vocabSize() != vocab) {
            throw new IllegalArgumentException("--distill-from " + req.distillFrom() + ": the oracle's vocabulary (" + c.vocabSize()
                    + ") differs from the draft's (" + vocab + ")");
        }
        if (c.nPositions() < req.settings().seqLen()) {
            throw new IllegalArgumentException("--distill-from " + req.distillFrom() + ": the oracle's context (" + c.nPositions()
                    + ") is shorter than the training windows (seq_len " + req.settings().seqLen() + ")");
        }
    }

    /** The oracle of a distillation run as stored in train-state (absolute, so a resume from elsewhere matches), or null. */
    private String distillSource() {
        return req.distillFrom() == null ? null : req.distillFrom().toAbsolutePath().normalize().toString();
    }

    /** The loop proper, with the per-run values it needs. */
    private final class Loop {
        private final Start start;
        private final RoleSettings s;
        private final RunLayout layout;
        private final TokenShards corpus;
        private final Device device;
        private final ComputePrecision precision;
        private final String corpusSha;
        private final FlopsEstimate flops;
        private final Double peak;
        private final String deviceName;
        private final ComputeMode mode;
        private final FrozenModel teacher;
        /** The state after the last step, saved by {@link Trainer#run} once the summary is written. */
        TrainState finalState;

        Loop(Start start, RunLayout layout, TokenShards corpus, Device device, ComputePrecision precision, String corpusSha, FrozenModel teacher) {
            this.start = start;
            this.s = start.settings();
            this.layout = layout;
            this.corpus = corpus;
            this.device = device;
            this.precision = precision;
            this.corpusSha = corpusSha;
            this.teacher = teacher;
            // A distillation step also runs the oracle's forward: its FLOPs count toward the MFU.
            FlopsEstimate own = FlopsEstimate.of(s.config(), s.seqLen());
            this.flops = teacher == null ? own : new FlopsEstimate(own.flopsPerToken() + teacher.forwardFlopsPerToken(s.seqLen()));
            this.deviceName = MachineInfo.describe(req.device());
            this.peak = peakFlops(device, deviceName);
            this.mode = ComputeMode.of(s.config(), precision, device);
        }

        TrainSummary run(GPT2Weights masters, AdamWOptimizer optimizer) {
            try {
                return train(masters, optimizer);
            } finally {
                mode.close();
            }
        }

        private TrainSummary train(GPT2Weights masters, AdamWOptimizer optimizer) {
            long total = s.totalSteps();
            LrSchedule schedule = s.schedule();
            WindowSampler sampler = new WindowSampler(corpus.split(TokenShards.TRAIN), s.seqLen(), s.seed(), s.vocabSize());
            ValidationSet val = ValidationSet.first(corpus.split(TokenShards.VAL), s.seqLen(), s.evalTokens(), s.vocabSize());
            List<Tensor> params = masters.parameters();
            long step = start.step(), tokens = start.tokens();
            double elapsed = start.elapsedSeconds(), lastTrain = start.lastTrainLoss(), lastVal = Double.NaN;
            double intervalLoss = start.intervalLossSum(), intervalSeconds = 0, trainSeconds = 0;
            long intervalSteps = start.intervalSteps(), timedSteps = 0;
            Double lastMfu = null;
            double lastTokensPerSecond = 0;
            printHeader(total, val);
            try (TrainLog log = TrainLog.open(layout.log(), step);
                 TrainProgress bar = TrainProgress.start(req.progressBar(), req.role().flagName(), total * s.tokensPerStep(), tokens, elapsed)) {
                while (step < total) {
                    long t0 = System.nanoTime();
                    double lr = schedule.at(step);
                    double loss = trainStep(masters, optimizer, params, sampler, step, lr);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    step++;
                    tokens += s.tokensPerStep();
                    elapsed += seconds;
                    trainSeconds += seconds;
                    intervalSeconds += seconds;
                    intervalLoss += loss;
                    intervalSteps++;
                    timedSteps++;
                    lastTrain = loss;
                    bar.update(tokens, String.format(Locale.ROOT, "step %d/%d loss %.3f", step, total, loss));
                    boolean last = step == total;
                    if (step % s.evalEvery() == 0 || last) {
                        long e0 = System.nanoTime();
                        lastVal = validate(masters, val);
                        lastTokensPerSecond = timedSteps * s.tokensPerStep() / intervalSeconds;
                        lastMfu = peak == null ? null : flops.mfu(lastTokensPerSecond, peak);
                        log.append(new TrainLog.Row(step, tokens, intervalLoss / intervalSteps, lastVal, lr, lastTokensPerSecond, lastMfu));
                        out.printf(Locale.ROOT, "step %d/%d  tokens %s  train %.4f  val %.4f  lr %.2e  %.0f tok/s  MFU %s%n", step, total,
                                millions(tokens), intervalLoss / intervalSteps, lastVal, lr, lastTokensPerSecond, percent(lastMfu));
                        out.flush();
                        intervalLoss = 0;
                        intervalSeconds = 0;
                        intervalSteps = 0;
                        timedSteps = 0;
                        elapsed += (System.nanoTime() - e0) / 1e9;
                    }
                    boolean periodic = s.checkpointEvery() > 0 && step % s.checkpointEvery() == 0 && !last;
                    boolean stop = req.stopAt() > 0 && step == req.stopAt() && !last;
                    if (periodic || stop) {
                        long c0 = System.nanoTime();
                        saveCheckpoint(layout.checkpoint(step), masters);
                        pruneCheckpoints();
                        elapsed += (System.nanoTime() - c0) / 1e9;
                        saveState(masters, optimizer, step, tokens, elapsed, lastTrain, intervalLoss, intervalSteps);
                    }
                    if (stop) {
                        out.printf(Locale.ROOT, "stopped after step %d of %d; continue with --resume%n", step, total);
                        return summary(false, step, total, tokens, lastTrain, lastVal, val, elapsed, trainSeconds, lastMfu,
                                layout.checkpoint(step));
                    }
                }
            }
            saveCheckpoint(layout.finalCheckpoint(), masters);
            finalState = state(step, tokens, elapsed, lastTrain, intervalLoss, intervalSteps);
            return summary(true, step, total, tokens, lastTrain, lastVal, val, elapsed, trainSeconds, lastMfu, layout.finalCheckpoint());
        }

        /** One optimiser step: accumulate gradients over the micro-batches, clip, update. Returns the mean loss. */
        private double trainStep(GPT2Weights masters, AdamWOptimizer optimizer, List<Tensor> params, WindowSampler sampler,
                                 long step, double lr) {
            int width = s.seqLen() + 1;
            try (PointerScope scope = new PointerScope()) {
                // All windows of the step in one upload: a copy from host memory waits for the GPU to drain, so one
                // per micro-batch would stall the queue between micro-batches.
                int windowsPerStep = s.microBatch() * s.gradAccum();
                long[] ids = new long[windowsPerStep * width];
                for (int micro = 0; micro < s.gradAccum(); micro++) {
                    long[] part = sampler.batch(step, micro, s.microBatch());
                    System.arraycopy(part, 0, ids, micro * s.microBatch() * width, part.length);
                }
                Tensor stepWindows = LanguageModelLoss.windows(ids, windowsPerStep, width, device);
                // Summed on the device: reading each micro-batch's loss would sync the GPU once per micro-batch.
                Tensor lossSum = torch.zeros(new long[0]).to(device, torch.ScalarType.Float);
                Scalar scale = new Scalar(1.0 / s.gradAccum());
                for (int micro = 0; micro < s.gradAccum(); micro++) {
                    // Each micro-batch's activations are freed before the next one starts.
                    try (PointerScope microScope = new PointerScope()) {
                        Tensor windows = stepWindows.narrow(0, (long) micro * s.microBatch(), s.microBatch());
                        GPT2Model model = new GPT2Model(mode.working(masters));
                        Tensor loss = teacher == null ? LanguageModelLoss.meanLoss(model, windows, mode, false).mul(scale)
                                : distillLoss(model, windows, scale);
                        loss.backward();
                        lossSum.add_(loss.detach());
                    }
                }
                GradientClipping.clip(params, s.gradClip());
                optimizer.step(lr);
                optimizer.zeroGrad();
                double mean = lossSum.item_double();
                if (!Double.isFinite(mean)) throw new IllegalStateException("training loss is " + mean + " at step " + step + " (diverged)");
                return mean;
            }
        }

        /**
         * The distillation objective of one micro-batch times {@code scale}. The oracle's targets come first, so its
         * logits are freed before the draft's forward; only the returned handle (in the caller's scope) outlives this.
         */
        private Tensor distillLoss(GPT2Model draft, Tensor windows, Scalar scale) {
            long b = windows.size(0), t = windows.size(1) - 1;
            Tensor inputs = windows.narrow(1, 0, t);
            Tensor next = windows.narrow(1, 1, t).reshape(b * t);
            DistillationLoss.TeacherTargets targets;
            try (PointerScope scope = new PointerScope()) {
                targets = DistillationLoss.teacher(teacher.logits(inputs), next, s.vocabSize(), s.distill());
            }
            Tensor objective;
            try (targets; PointerScope scope = new PointerScope()) {
                objective = DistillationLoss.loss(draft.forwardFull(inputs), targets, next, s.vocabSize(), s.distill());
            }
            try (objective) {
                return objective.mul(scale);
            }
        }

        private double validate(GPT2Weights masters, ValidationSet val) {
            try (PointerScope scope = new PointerScope()) {
                return LanguageModelLoss.evaluate(mode.working(masters), mode, val, s.microBatch());
            }
        }

        private void saveCheckpoint(Path dir, GPT2Weights masters) {
            StateDirs.write(dir, tmp -> GPT2Checkpoint.save(tmp, masters, s.checkpointDtype(), CHECKPOINT_SHARD_BYTES));
        }

        private void pruneCheckpoints() {
            List<Long> steps = layout.checkpointSteps();
            try {
                for (int i = 0; i < steps.size() - s.keepCheckpoints(); i++) StateDirs.remove(layout.checkpoint(steps.get(i)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete an old checkpoint in " + layout.dir() + ": " + e.getMessage(), e);
            }
        }

        private void saveState(GPT2Weights masters, AdamWOptimizer optimizer, long step, long tokens, double elapsed, double lastTrain,
                               double intervalLoss, long intervalSteps) {
            TrainStateStore.save(layout.state(), masters, optimizer, state(step, tokens, elapsed, lastTrain, intervalLoss, intervalSteps));
        }

        private TrainState state(long step, long tokens, double elapsed, double lastTrain, double intervalLoss, long intervalSteps) {
            return new TrainState(TrainState.FORMAT, req.profile().name(), req.role().flagName(), step, tokens, elapsed,
                    precision.flagName(), req.init() == null ? null : req.init().toString(), corpusSha, lastTrain, intervalLoss,
                    intervalSteps, s, distillSource());
        }

        private void printHeader(long total, ValidationSet val) {
            out.printf(Locale.ROOT, "training %s %s: %d layers, d=%d, %d heads, context %d, %.1fM parameters%n", req.profile().name(),
                    req.role().flagName(), s.nLayer(), s.nEmbd(), s.nHead(), s.nPositions(), s.config().parameterCount() / 1e6);
            out.printf(Locale.ROOT, "  %d steps x %d tokens (%d x %d windows of %d) = %s tokens; lr %.1e -> %.1e, warm-up %d; on %s, %s compute; %s%n",
                    total, s.tokensPerStep(), s.gradAccum(), s.microBatch(), s.seqLen(), millions(total * s.tokensPerStep()), s.lr(), s.minLr(),
                    s.warmupSteps(), deviceName, precision.flagName(),
                    peak == null ? "MFU n/a (no known peak)" : String.format(Locale.ROOT, "MFU against %.1f TFLOP/s", peak / 1e12));
            out.printf(Locale.ROOT, "  validation: %d windows (%s tokens) every %d steps; %.3f GFLOP per token%n", val.windows(),
                    millions(val.predictedTokens()), s.evalEvery(), flops.flopsPerToken() / 1e9);
            if (teacher != null) {
                out.printf(Locale.ROOT, "  distilling from %s (%.1fM parameters, its forward counted in the GFLOP and MFU): %s; train loss is this objective, val loss plain cross-entropy%n",
                        teacher.dir(), teacher.config().parameterCount() / 1e6, s.distill().describe());
            }
            out.flush();
        }

        private TrainSummary summary(boolean complete, long step, long total, long tokens, double train, double valLoss, ValidationSet val,
                                     double elapsed, double trainSeconds, Double mfu, Path checkpoint) {
            double tps = trainSeconds > 0 ? (tokens - start.tokens()) / trainSeconds : 0;
            return new TrainSummary(req.profile().name(), req.role().flagName(), complete, step, total, tokens, s.config().parameterCount(),
                    train, valLoss, val.predictedTokens(), elapsed, tps, peak == null ? null : flops.mfu(tps, peak), deviceName,
                    precision.flagName(), corpusSha, checkpoint.toString(), null, distillation());
        }

        private TrainSummary.Distillation distillation() {
            if (teacher == null) return null;
            DistillSettings d = s.distill();
            return new TrainSummary.Distillation(teacher.dir().toString(), teacher.config().parameterCount(), d.alpha(), d.temperature(),
                    s.microBatch(), d.describe());
        }
    }

    private Double peakFlops(Device device, String deviceName) {
        if (req.peakTflops() != null) return req.peakTflops() * 1e12;
        if (!device.is_cuda()) return null;
        OptionalDouble p = PeakFlops.forDeviceName(deviceName);
        return p.isPresent() ? p.getAsDouble() : null;
    }

    private TrainSummary compare(TrainSummary summary, TokenShards corpus, Device device, ComputePrecision precision, RunLayout layout,
                                 Path other) {
        Path mine = layout.finalCheckpoint();
        Path oracle = req.role() == Role.ORACLE ? mine : other;
        Path draft = req.role() == Role.DRAFT ? mine : other;
        RoleSettings s = req.settings();
        Comparison c = ModelComparison.compare(oracle, draft, corpus, s.seqLen(), s.evalTokens(), s.microBatch(), device, precision);
        out.println(c.describe());
        return summary.withComparison(c);
    }

    private static void writeSummary(RunLayout layout, TrainSummary summary) {
        try {
            byte[] json = JSON.writeValueAsBytes(summary);
            AtomicFiles.writeResumable(layout.summary(), o -> o.write(json));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + layout.summary() + ": " + e.getMessage(), e);
        }
    }

    static String millions(long tokens) {
        return String.format(Locale.ROOT, "%.2fM", tokens / 1e6);
    }

    private static String percent(Double mfu) {
        return mfu == null ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * mfu);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}

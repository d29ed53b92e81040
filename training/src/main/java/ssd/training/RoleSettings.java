package ssd.training;

import com.fasterxml.jackson.annotation.JsonProperty;
import ssd.common.Dtype;
import ssd.decoder.model.GPT2Config;

/**
 * Everything that decides one model's training run: its shape, the batch, the token budget, the optimiser and the
 * schedule. Read from a profile JSON (snake_case keys, all required); equal settings give identical runs.
 *
 * @param seqLen        tokens per training window (the model sees seqLen inputs and predicts seqLen targets)
 * @param microBatch    windows per forward/backward
 * @param gradAccum     micro-batches per optimiser step
 * @param trainTokens   token budget; the run takes ceil(trainTokens / tokensPerStep) steps
 * @param minLr         the floor the cosine decays to (and stays at)
 * @param evalEvery     steps between validation evaluations (and CSV log rows)
 * @param evalTokens    predicted tokens in the fixed validation set (the first windows of the val split)
 * @param checkpointEvery steps between periodic checkpoints (and resumable train-state); 0 = final only
 * @param keepCheckpoints periodic checkpoints kept on disk (older ones are deleted)
 * @param saveDtype     dtype of the Hugging Face checkpoints written (train-state is always fp32)
 * @param distill       how this role is distilled from the oracle with {@code --distill-from} (optional; draft role only)
 */
public record RoleSettings(
        @JsonProperty(value = "n_layer", required = true) int nLayer,
        @JsonProperty(value = "n_embd", required = true) int nEmbd,
        @JsonProperty(value = "n_head", required = true) int nHead,
        @JsonProperty(value = "n_positions", required = true) int nPositions,
        @JsonProperty(value = "vocab_size", required = true) int vocabSize,
        @JsonProperty(value = "seq_len", required = true) int seqLen,
        @JsonProperty(value = "micro_batch", required = true) int microBatch,
        @JsonProperty(value = "grad_accum", required = true) int gradAccum,
        @JsonProperty(value = "train_tokens", required = true) long trainTokens,
        @JsonProperty(value = "lr", required = true) double lr,
        @JsonProperty(value = "min_lr", required = true) double minLr,
        @JsonProperty(value = "warmup_steps", required = true) int warmupSteps,
        @JsonProperty(value = "weight_decay", required = true) double weightDecay,
        @JsonProperty(value = "beta1", required = true) double beta1,
        @JsonProperty(value = "beta2", required = true) double beta2,
        @JsonProperty(value = "eps", required = true) double eps,
        @JsonProperty(value = "grad_clip", required = true) double gradClip,
        @JsonProperty(value = "eval_every", required = true) int evalEvery,
        @JsonProperty(value = "eval_tokens", required = true) long evalTokens,
        @JsonProperty(value = "checkpoint_every", required = true) int checkpointEvery,
        @JsonProperty(value = "keep_checkpoints", required = true) int keepCheckpoints,
        @JsonProperty(value = "seed", required = true) long seed,
        @JsonProperty(value = "save_dtype", required = true) String saveDtype,
        @JsonProperty("distill") DistillSettings distill) {

    public RoleSettings {
        positive("n_layer", nLayer);
        positive("n_embd", nEmbd);
        positive("n_head", nHead);
        positive("n_positions", nPositions);
        positive("vocab_size", vocabSize);
        positive("seq_len", seqLen);
        positive("micro_batch", microBatch);
        positive("grad_accum", gradAccum);
        positive("train_tokens", trainTokens);
        positive("eval_every", evalEvery);
        positive("eval_tokens", evalTokens);
        if (4L * nEmbd > Integer.MAX_VALUE) throw new IllegalArgumentException("n_embd " + nEmbd + " is too large (the MLP width 4 x n_embd must fit an int)");
        try {
            Math.multiplyExact(Math.multiplyExact((long) microBatch, gradAccum), seqLen);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("micro_batch x grad_accum x seq_len = " + microBatch + " x " + gradAccum + " x " + seqLen + " overflows");
        }
        if (nEmbd % nHead != 0) throw new IllegalArgumentException("n_embd " + nEmbd + " is not divisible by n_head " + nHead);
        if (seqLen > nPositions) throw new IllegalArgumentException("seq_len " + seqLen + " exceeds n_positions " + nPositions);
        if (!(lr > 0) || !(minLr >= 0) || minLr > lr) throw new IllegalArgumentException("need 0 <= min_lr <= lr and lr > 0, got lr " + lr + " min_lr " + minLr);
        if (warmupSteps < 0) throw new IllegalArgumentException("warmup_steps must be >= 0, got " + warmupSteps);
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight_decay must be >= 0, got " + weightDecay);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("beta1 and beta2 must be in [0, 1), got " + beta1 + ", " + beta2);
        if (!(eps > 0)) throw new IllegalArgumentException("eps must be > 0, got " + eps);
        if (!(gradClip > 0)) throw new IllegalArgumentException("grad_clip must be > 0, got " + gradClip);
        if (checkpointEvery < 0) throw new IllegalArgumentException("checkpoint_every must be >= 0, got " + checkpointEvery);
        if (keepCheckpoints < 1) throw new IllegalArgumentException("keep_checkpoints must be >= 1, got " + keepCheckpoints);
        if (saveDtype == null) throw new IllegalArgumentException("save_dtype is required (fp32, fp16 or bf16)");
        Dtype.parse(saveDtype);
    }

    private static void positive(String name, long v) {
        if (v <= 0) throw new IllegalArgumentException(name + " must be positive, got " + v);
    }

    public GPT2Config config() {
        return GPT2Config.of(vocabSize, nPositions, nEmbd, nLayer, nHead);
    }

    public long tokensPerStep() {
        return (long) microBatch * gradAccum * seqLen;
    }

    public long totalSteps() {
        return (trainTokens - 1) / tokensPerStep() + 1; // ceil, without overflow near Long.MAX_VALUE
    }

    public Dtype checkpointDtype() {
        return Dtype.parse(saveDtype);
    }

    public LrSchedule schedule() {
        return new LrSchedule(lr, minLr, warmupSteps, totalSteps());
    }

    public AdamWSettings adamW() {
        return new AdamWSettings(beta1, beta2, eps, weightDecay);
    }

    public RoleSettings withTrainTokens(long tokens) {
        return new RoleSettings(nLayer, nEmbd, nHead, nPositions, vocabSize, seqLen, microBatch, gradAccum, tokens, lr, minLr,
                warmupSteps, weightDecay, beta1, beta2, eps, gradClip, evalEvery, evalTokens, checkpointEvery, keepCheckpoints,
                seed, saveDtype, distill);
    }

    /** Same tokens per step with another micro-batch (to fit GPU memory): grad_accum grows to compensate. */
    public RoleSettings withMicroBatch(int micro) {
        long windowsPerStep = (long) microBatch * gradAccum;
        if (micro <= 0 || windowsPerStep % micro != 0) {
            throw new IllegalArgumentException("--micro-batch " + micro + " must divide the " + windowsPerStep
                    + " windows per step (micro_batch " + microBatch + " x grad_accum " + gradAccum + ")");
        }
        return new RoleSettings(nLayer, nEmbd, nHead, nPositions, vocabSize, seqLen, micro, (int) (windowsPerStep / micro),
                trainTokens, lr, minLr, warmupSteps, weightDecay, beta1, beta2, eps, gradClip, evalEvery, evalTokens,
                checkpointEvery, keepCheckpoints, seed, saveDtype, distill);
    }

    /** The same run on a model of another shape (the shape of an --init checkpoint). */
    public RoleSettings withShape(GPT2Config c) {
        return new RoleSettings(c.nLayer(), c.nEmbd(), c.nHead(), c.nPositions(), c.vocabSize(), seqLen, microBatch, gradAccum,
                trainTokens, lr, minLr, warmupSteps, weightDecay, beta1, beta2, eps, gradClip, evalEvery, evalTokens,
                checkpointEvery, keepCheckpoints, seed, saveDtype, distill);
    }

    /** The same settings with other distillation settings (e.g. --distill-alpha / --distill-temperature applied). */
    public RoleSettings withDistill(DistillSettings d) {
        return new RoleSettings(nLayer, nEmbd, nHead, nPositions, vocabSize, seqLen, microBatch, gradAccum, trainTokens, lr, minLr,
                warmupSteps, weightDecay, beta1, beta2, eps, gradClip, evalEvery, evalTokens, checkpointEvery, keepCheckpoints,
                seed, saveDtype, d);
    }

    /**
     * The settings of a distillation run: the distill budget and micro-batch in place of the plain ones (tokens per
     * step unchanged). {@code source} names where the settings came from, for the message when there are none.
     */
    public RoleSettings forDistillation(String source) {
        if (distill == null) {
            throw new IllegalArgumentException("--distill-from needs a \"distill\" object (alpha, temperature, train_tokens, micro_batch) in the "
                    + source + "; it has none");
        }
        long windowsPerStep = (long) microBatch * gradAccum;
        if (windowsPerStep % distill.microBatch() != 0) {
            throw new IllegalArgumentException("distill.micro_batch " + distill.microBatch() + " in the " + source + " must divide the "
                    + windowsPerStep + " windows per step (micro_batch " + microBatch + " x grad_accum " + gradAccum + ")");
        }
        return withTrainTokens(distill.trainTokens()).withMicroBatch(distill.microBatch());
    }
}

package ssd.training;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import ssd.datasets.shards.TokenShards;
import ssd.decoder.model.GPT2Checkpoint;
import ssd.decoder.model.GPT2Config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How often drafts predict what the oracle predicts, on the validation split's windows (the ones the trainer and
 * {@link ModelComparison} score): at every position, the oracle's most likely next token against the draft's most
 * likely one (top-1 agreement: the chance that a greedy draft's proposal is accepted there) and against the draft's
 * {@value #TOP_K} most likely (top-k agreement: the chance that a draft tree of that width holds the oracle's token),
 * with both models' validation losses and the mean KL(oracle || draft) per token. Float32 over the real vocabulary.
 */
public final class Agreement {
    public static final int TOP_K = 4;

    /** One draft against the oracle over the same positions. */
    public record DraftResult(@JsonProperty("draft") String draft,
                              @JsonProperty("parameters") long parameters,
                              @JsonProperty("val_loss") double valLoss,
                              @JsonProperty("top1_agreement") double top1,
                              @JsonProperty("top4_agreement") double topK,
                              @JsonProperty("kl_oracle_draft") double klOracleDraft) {
    }

    /** The whole measurement; {@code positions} = windows x seqLen predicted tokens. */
    public record Report(@JsonProperty("oracle") String oracle,
                         @JsonProperty("oracle_parameters") long oracleParameters,
                         @JsonProperty("oracle_val_loss") double oracleValLoss,
                         @JsonProperty("windows") int windows,
                         @JsonProperty("seq_len") int seqLen,
                         @JsonProperty("positions") long positions,
                         @JsonProperty("compute_dtype") String computeDtype,
                         @JsonProperty("drafts") List<DraftResult> drafts) {
    }

    private Agreement() {
    }

    /**
     * @param context window length, capped at the smallest context of the models
     * @param tokens  predicted tokens to score (the first windows of the val split)
     * @param batch   windows per forward
     */
    public static Report measure(Path oracle, List<Path> drafts, TokenShards corpus, int context, long tokens, int batch, Device device,
                                 ComputePrecision precision) {
        if (drafts.isEmpty()) throw new IllegalArgumentException("at least one --draft DIR is needed");
        if (context <= 0 || tokens <= 0 || batch <= 0) {
            throw new IllegalArgumentException("--context, --tokens and --batch must be positive, got " + context + ", " + tokens + ", " + batch);
        }
        GPT2Config oc = readConfig(oracle, "--oracle");
        int seqLen = Math.min(context, oc.nPositions());
        for (Path d : drafts) {
            GPT2Config dc = readConfig(d, "--draft");
            if (dc.vocabSize() != oc.vocabSize()) {
                throw new IllegalArgumentException("--draft " + d + ": vocabulary " + dc.vocabSize() + " differs from the oracle's " + oc.vocabSize());
            }
            seqLen = Math.min(seqLen, dc.nPositions());
        }
        int vocab = oc.vocabSize();
        ValidationSet set = ValidationSet.first(corpus.split(TokenShards.VAL), seqLen, tokens, vocab);
        List<FrozenModel> models = new ArrayList<>();
        try {
            models.add(FrozenModel.load(oracle, "--oracle", device, precision));
            for (Path d : drafts) models.add(FrozenModel.load(d, "--draft", device, precision));
            Sums[] sums = new Sums[drafts.size()];
            for (int i = 0; i < sums.length; i++) sums[i] = new Sums();
            double oracleLoss = 0;
            int width = seqLen + 1;
            try (NoGradGuard g = new NoGradGuard()) {
                for (int start = 0; start < set.windows(); start += batch) {
                    int n = Math.min(batch, set.windows() - start);
                    long[] ids = java.util.Arrays.copyOfRange(set.ids(), start * width, (start + n) * width);
                    oracleLoss += scoreBatch(models, LanguageModelLoss.windows(ids, n, width, device), vocab, sums);
                }
            }
            long positions = set.predictedTokens();
            List<DraftResult> results = new ArrayList<>();
            for (int i = 0; i < sums.length; i++) {
                Sums s = sums[i];
                results.add(new DraftResult(drafts.get(i).toString(), models.get(i + 1).config().parameterCount(), s.loss / positions,
                        (double) s.top1 / positions, (double) s.topK / positions, s.kl / positions));
            }
            return new Report(oracle.toString(), oc.parameterCount(), oracleLoss / positions, set.windows(), seqLen, positions,
                    precision.flagName(), List.copyOf(results));
        } finally {
            for (FrozenModel m : models) m.close();
        }
    }

    /** Per-draft running sums over positions. */
    private static final class Sums {
        double loss, kl;
        long top1, topK;
    }

    /** Scores one batch of windows; returns the oracle's summed loss and adds each draft's sums. */
    private static double scoreBatch(List<FrozenModel> models, Tensor windows, int vocab, Sums[] sums) {
        long b = windows.size(0), t = windows.size(1) - 1, n = b * t;
        try (PointerScope scope = new PointerScope()) {
            Tensor inputs = windows.narrow(1, 0, t);
            Tensor next = windows.narrow(1, 1, t).reshape(n);
            Tensor oracle = DistillationLoss.realVocabFloat(models.get(0).logits(inputs), n, vocab);
            double oracleLoss = summedLoss(oracle, next);
            Tensor oracleTop = oracle.argmax(new org.bytedeco.pytorch.LongOptional(1), true); // [n, 1]
            Tensor oracleLogp = torch.log_softmax(oracle, 1);
            oracle.close();
            Tensor oracleP = oracleLogp.exp();
            for (int i = 0; i < sums.length; i++) {
                try (PointerScope draftScope = new PointerScope()) {
                    Tensor draft = DistillationLoss.realVocabFloat(models.get(i + 1).logits(inputs), n, vocab);
                    Sums s = sums[i];
                    s.loss += summedLoss(draft, next);
                    s.top1 += draft.argmax(new org.bytedeco.pytorch.LongOptional(1), true).eq(oracleTop).sum().item_long();
                    Tensor topK = torch.topk(draft, TOP_K, 1, true, false).get1(); // [n, k] indices
                    s.topK += topK.eq(oracleTop).any(1).sum().item_long();
                    Tensor draftLogp = torch.log_softmax(draft, 1);
                    draft.close();
                    Tensor diff = oracleLogp.sub(draftLogp);
                    draftLogp.close();
                    s.kl += diff.mul_(oracleP).sum().item_double();
                }
            }
            return oracleLoss;
        }
    }

    /** Summed next-token cross-entropy of [n, vocab] float32 logits. */
    private static double summedLoss(Tensor logits, Tensor next) {
        return torch.cross_entropy_loss(logits, next, new TensorOptional(), 2 /* sum */, -100, 0.0).item_double();
    }

    private static GPT2Config readConfig(Path dir, String flag) {
        if (!java.nio.file.Files.isDirectory(dir)) throw new IllegalArgumentException(flag + " " + dir + ": checkpoint directory does not exist");
        return GPT2Checkpoint.readConfig(dir);
    }
}

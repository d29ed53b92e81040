package ssd.training;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import ssd.datasets.shards.TokenShards;
import ssd.common.Dtype;
import ssd.decoder.model.GPT2Checkpoint;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Weights;

import java.nio.file.Files;
import java.nio.file.Path;

/** Scores an oracle and a draft checkpoint on the same validation windows (the family's sanity check: oracle < draft). */
public final class ModelComparison {
    private ModelComparison() {
    }

    /**
     * @param seqLen     window length; capped at the smaller context of the two models
     * @param evalTokens predicted tokens to score (first windows of the val split)
     */
    public static Comparison compare(Path oracle, Path draft, TokenShards corpus, int seqLen, long evalTokens, int batch,
                                     Device device, ComputePrecision precision) {
        for (Path p : new Path[]{oracle, draft}) {
            if (!Files.isDirectory(p)) throw new IllegalArgumentException("checkpoint directory " + p + " does not exist");
        }
        GPT2Config oc = GPT2Checkpoint.readConfig(oracle), dc = GPT2Checkpoint.readConfig(draft);
        int t = Math.min(seqLen, Math.min(oc.nPositions(), dc.nPositions()));
        ValidationSet set = ValidationSet.first(corpus.split(TokenShards.VAL), t, evalTokens, Math.min(oc.vocabSize(), dc.vocabSize()));
        Dtype dtype = precision.dtype();
        double o = score(oracle, set, batch, device, dtype, precision), d = score(draft, set, batch, device, dtype, precision);
        return new Comparison(oracle.toString(), draft.toString(), o, d, set.windows(), t);
    }

    private static double score(Path dir, ValidationSet set, int batch, Device device, Dtype dtype, ComputePrecision precision) {
        try (PointerScope scope = new PointerScope()) {
            GPT2Weights w = GPT2Checkpoint.load(dir, dtype, device);
            try (ComputeMode mode = ComputeMode.of(w.config(), precision, device)) {
                return LanguageModelLoss.evaluate(mode.working(w), mode, set, batch);
            } finally {
                w.close();
            }
        }
    }
}

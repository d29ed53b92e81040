package ssd.decoder.decoding;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import ssd.decoder.forward.Readout;
import ssd.decoder.forward.ReadoutRows;
import ssd.decoder.torch.Torch;

/**
 * The one definition of what a method samples from: the logits divided by the temperature, the k largest kept (all
 * of them when k = 0; on exact ties at the k-th value, either), and a softmax over those, computed on the
 * device by {@link Readout#top} for every row at once. Every method's oracle draws, the verifier's targets, the
 * speculative draft's proposals, the n-gram fit's samples and the tests use it, so their distributions agree by
 * construction. Only k probabilities and k token ids per row cross to the host.
 */
public final class TargetDistribution {
    private TargetDistribution() {
    }

    /** The device reduction that yields {@code sampling}'s distribution for every row (its whole support). */
    public static Readout readout(SamplingConfig sampling) {
        if (sampling.isGreedy()) throw new IllegalArgumentException("greedy decoding has no sampling distribution (it takes the argmax)");
        return Readout.top(sampling.temperature(), sampling.topK(), sampling.topK() == 0 ? Integer.MAX_VALUE : sampling.topK());
    }

    /** The distributions of a {@link #readout(SamplingConfig)}'s rows. */
    public static SparseDistribution[] of(ReadoutRows rows) {
        int k = rows.columns() / 2;
        SparseDistribution[] out = new SparseDistribution[rows.rows()];
        for (int r = 0; r < out.length; r++) {
            int[] tokens = new int[k];
            double[] probs = new double[k];
            for (int j = 0; j < k; j++) {
                probs[j] = rows.value(r, j);
                tokens[j] = rows.token(r, k + j);
            }
            out[r] = new SparseDistribution(tokens, probs);
        }
        return out;
    }

    /** Per row of {@code logits} [rows, vocab] (float32, any device), the sampling distribution of {@code sampling}. */
    public static SparseDistribution[] of(Tensor logits, SamplingConfig sampling) {
        Readout readout = readout(sampling);
        int rows = Math.toIntExact(logits.size(0)), vocab = Math.toIntExact(logits.size(1));
        try (PointerScope scope = new PointerScope()) {
            return of(new ReadoutRows(rows, readout.columns(vocab), Torch.toFloats(readout.apply(logits)), null));
        }
    }
}

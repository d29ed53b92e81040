package ssd.decoder.decoding;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.global.torch;
import ssd.decoder.model.Logits;
import ssd.decoder.model.Torch;

import java.util.HashMap;
import java.util.Map;

/**
 * The draft's view of one forward, reduced on the device to what tree building needs: for each row the m most
 * likely tokens with their probabilities, and the probability of any given token. Only these small arrays cross to
 * the host. Greedy decoding shapes trees with the plain softmax; sampling with the sampling distribution (temperature,
 * then top-k renormalised), the distribution the draft's choices are scored under.
 */
final class DraftScores implements AutoCloseable {
    private final Tensor probs;
    private final int[][] topTokens;
    private final double[][] topProbs;
    /** Probabilities of (row, token) pairs asked for up front, keyed by {@link #key}. */
    private final Map<Long, Double> wanted = new HashMap<>();

    DraftScores(Logits logits, int m, SamplingConfig sampling) {
        this(logits, m, sampling, new int[0], new int[0]);
    }

    /**
     * Also reads the probabilities of ({@code askRows[i]}, {@code askTokens[i]}) in the same trip to the host: on a
     * GPU every later single lookup would be a kernel launch and a synchronization of its own.
     */
    DraftScores(Logits logits, int m, SamplingConfig sampling, int[] askRows, int[] askTokens) {
        try (PointerScope scope = new PointerScope()) {
            Tensor x = logits.tensor();
            double temperature = sampling.isGreedy() ? 1.0 : sampling.temperature();
            Tensor p = torch.softmax(x.div(new Scalar(temperature)), 1, new org.bytedeco.pytorch.ScalarTypeOptional());
            int vocab = logits.vocabSize();
            if (!sampling.isGreedy() && sampling.topK() > 0 && sampling.topK() < vocab) {
                T_TensorTensor_T kth = p.topk(sampling.topK(), 1, true, true);
                Tensor threshold = kth.get0().narrow(1, sampling.topK() - 1, 1);
                p = p.masked_fill(p.lt(threshold), new Scalar(0.0));
                p = p.div(p.sum(new long[]{1}, true, new org.bytedeco.pytorch.ScalarTypeOptional()));
            }
            int k = Math.min(m, vocab);
            T_TensorTensor_T top = p.topk(k, 1, true, true);
            int rows = logits.rows();
            Tensor asked = askRows.length == 0 ? null : p.reshape(-1).index_select(0, Torch.longs(flatIndex(askRows, askTokens, vocab), p.device()));
            // Top-m probabilities and the asked ones in one copy to the host.
            float[] values = Torch.toFloats(asked == null ? top.get0() : torch.cat(new org.bytedeco.pytorch.TensorVector(top.get0().reshape(-1), asked)));
            long[] indices = Torch.toLongs(top.get1());
            topTokens = new int[rows][k];
            topProbs = new double[rows][k];
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < k; j++) {
                    topTokens[r][j] = (int) indices[r * k + j];
                    topProbs[r][j] = values[r * k + j];
                }
            }
            for (int i = 0; i < askRows.length; i++) wanted.put(key(askRows[i], askTokens[i]), (double) values[rows * k + i]);
            p.retainReference();
            probs = p;
        }
    }

    int[] topTokens(int row) {
        return topTokens[row];
    }

    double[] topProbs(int row) {
        return topProbs[row];
    }

    /** Probability of one token in one row (from the top-m or the pairs asked for up front, else read from the device). */
    double prob(int row, int token) {
        int[] t = topTokens[row];
        for (int j = 0; j < t.length; j++) if (t[j] == token) return topProbs[row][j];
        Double known = wanted.get(key(row, token));
        if (known != null) return known;
        try (PointerScope scope = new PointerScope()) {
            return probs.select(0, row).select(0, token).item_float();
        }
    }

    private static long[] flatIndex(int[] rows, int[] tokens, int vocab) {
        long[] flat = new long[rows.length];
        for (int i = 0; i < rows.length; i++) flat[i] = (long) rows[i] * vocab + tokens[i];
        return flat;
    }

    private static long key(int row, int token) {
        return (long) row << 32 | (token & 0xffffffffL);
    }

    @Override
    public void close() {
        probs.close();
    }
}

package ssd.decoder.decoding;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.global.torch;
import ssd.decoder.model.Logits;
import ssd.decoder.model.Torch;

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

    DraftScores(Logits logits, int m, SamplingConfig sampling) {
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
            float[] values = Torch.toFloats(top.get0());
            long[] indices = Torch.toLongs(top.get1());
            int rows = logits.rows();
            topTokens = new int[rows][k];
            topProbs = new double[rows][k];
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < k; j++) {
                    topTokens[r][j] = (int) indices[r * k + j];
                    topProbs[r][j] = values[r * k + j];
                }
            }
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

    /** Probability of one token in one row (from the top-m when there, else read from the device). */
    double prob(int row, int token) {
        int[] t = topTokens[row];
        for (int j = 0; j < t.length; j++) if (t[j] == token) return topProbs[row][j];
        try (PointerScope scope = new PointerScope()) {
            return probs.select(0, row).select(0, token).item_float();
        }
    }

    @Override
    public void close() {
        probs.close();
    }
}

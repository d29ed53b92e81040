package ssd.decoder.decoding;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import ssd.decoder.forward.Logits;
import ssd.decoder.torch.Torch;

/**
 * The draft's view of one forward for shaping a tree, reduced on the device and copied in one transfer: for each row
 * its {@code width} most probable tokens and their probabilities. Greedy decoding ranks by the plain softmax (the
 * draft's own belief); sampling by the sampling distribution of {@link TargetDistribution}, the one the oracle's
 * tokens are drawn from. Tree shaping affects only speed, never outputs: a token outside a row's top {@code width}
 * counts as probability zero.
 */
final class DraftScores {
    private final int width;
    private final int[] tokens;
    private final double[] probs;

    private DraftScores(int width, int[] tokens, double[] probs) {
        this.width = width;
        this.tokens = tokens;
        this.probs = probs;
    }

    static DraftScores of(Logits logits, SamplingConfig sampling, int width) {
        int rows = logits.rows(), vocab = logits.vocabSize();
        boolean greedy = sampling.isGreedy();
        int k = greedy || sampling.topK() == 0 ? vocab : Math.min(sampling.topK(), vocab);
        int w = Math.min(width, k);
        float[] host;
        try (PointerScope scope = new PointerScope()) {
            Tensor scaled = greedy ? logits.tensor() : logits.tensor().div(new Scalar(sampling.temperature()));
            // The normaliser: the whole row for the plain softmax, the top-k values for the sampling distribution.
            T_TensorTensor_T top = scaled.topk(k == vocab ? w : k, 1, true, true);
            Tensor norm = (k == vocab ? scaled : top.get0()).logsumexp(new long[]{1}, true);
            Tensor probs = top.get0().narrow(1, 0, w).sub(norm).exp();
            Tensor ids = top.get1().narrow(1, 0, w).to(torch.ScalarType.Float);
            host = Torch.toFloats(torch.cat(new TensorVector(probs, ids), 1));
        }
        int[] t = new int[rows * w];
        double[] p = new double[rows * w];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < w; j++) {
                p[r * w + j] = host[r * 2 * w + j];
                t[r * w + j] = (int) host[r * 2 * w + w + j];
            }
        }
        return new DraftScores(w, t, p);
    }

    int width() {
        return width;
    }

    /** The j-th most probable token of row {@code row}. */
    int token(int row, int j) {
        return tokens[row * width + j];
    }

    double probAt(int row, int j) {
        return probs[row * width + j];
    }

    /** Probability of {@code token} in row {@code row}: from the row's top {@link #width()}, else zero. */
    double prob(int row, int token) {
        for (int j = 0; j < width; j++) if (tokens[row * width + j] == token) return probs[row * width + j];
        return 0;
    }
}

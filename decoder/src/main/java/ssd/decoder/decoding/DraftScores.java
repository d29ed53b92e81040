package ssd.decoder.decoding;

import ssd.decoder.forward.Readout;
import ssd.decoder.forward.ReadoutRows;

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

    /** The device reduction behind these scores: the softmax's top {@code width} (greedy) or the sampling target's. */
    static Readout readout(SamplingConfig sampling, int width) {
        return sampling.isGreedy() ? Readout.top(1.0, 0, width) : Readout.top(sampling.temperature(), sampling.topK(), width);
    }

    static DraftScores of(ReadoutRows rows) {
        int w = rows.columns() / 2;
        int[] t = new int[rows.rows() * w];
        double[] p = new double[rows.rows() * w];
        for (int r = 0; r < rows.rows(); r++) {
            for (int j = 0; j < w; j++) {
                p[r * w + j] = rows.value(r, j);
                t[r * w + j] = rows.token(r, w + j);
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

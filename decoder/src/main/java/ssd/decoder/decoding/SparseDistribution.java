package ssd.decoder.decoding;

import java.util.Arrays;

/**
 * A distribution over a few tokens (the rest have probability zero): {@code tokens[i]} has {@code probs[i]}, most
 * probable first. What the sampling target of a top-k configuration is, and what crosses from the device to the
 * host: k numbers per row instead of the vocabulary.
 */
public record SparseDistribution(int[] tokens, double[] probs) {
    public SparseDistribution {
        if (tokens.length != probs.length) throw new IllegalArgumentException(tokens.length + " tokens but " + probs.length + " probabilities");
    }

    /** All mass on one token (a deterministic proposal, or greedy's choice). */
    public static SparseDistribution pointMass(int token) {
        return new SparseDistribution(new int[]{token}, new double[]{1.0});
    }

    public int size() {
        return tokens.length;
    }

    /** The probability of {@code token} (zero outside the support). */
    public double prob(int token) {
        for (int i = 0; i < tokens.length; i++) if (tokens[i] == token) return probs[i];
        return 0;
    }

    /** The token whose cumulative probability first exceeds {@code u} (u in [0, 1)); the last one if rounding leaves u above the total. */
    public int tokenAt(double u) {
        double acc = 0;
        int last = -1;
        for (int i = 0; i < tokens.length; i++) {
            if (probs[i] <= 0) continue;
            acc += probs[i];
            last = tokens[i];
            if (u < acc) return tokens[i];
        }
        if (last < 0) throw new IllegalStateException("a distribution with no mass");
        return last;
    }

    /**
     * normalize(max(0, this - proposal)): what rejection sampling draws from after rejecting a token proposed from
     * {@code proposal}. Null if nothing is left. Its support is within this one's.
     */
    public SparseDistribution minus(SparseDistribution proposal) {
        double[] rest = new double[probs.length];
        double sum = 0;
        for (int i = 0; i < tokens.length; i++) {
            double v = probs[i] - proposal.prob(tokens[i]);
            if (v > 0) {
                rest[i] = v;
                sum += v;
            }
        }
        if (sum <= 0) return null;
        for (int i = 0; i < rest.length; i++) rest[i] /= sum;
        return new SparseDistribution(tokens, rest);
    }

    /** The probabilities as a dense vector over a vocabulary of {@code vocab} tokens (tests, small vocabularies). */
    public double[] dense(int vocab) {
        double[] p = new double[vocab];
        for (int i = 0; i < tokens.length; i++) p[tokens[i]] += probs[i];
        return p;
    }

    @Override
    public String toString() {
        return "SparseDistribution" + Arrays.toString(tokens) + Arrays.toString(probs);
    }
}

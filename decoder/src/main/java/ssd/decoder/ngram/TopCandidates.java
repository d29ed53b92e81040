package ssd.decoder.ngram;

import java.util.Arrays;

/**
 * The m most likely next tokens, most likely first; equal probabilities by ascending token id.
 * Plain data: the arrays are the caller's to keep (each query allocates fresh ones).
 */
public record TopCandidates(int[] tokens, double[] probs) {
    public TopCandidates {
        if (tokens.length != probs.length) {
            throw new IllegalArgumentException("tokens and probs differ in length");
        }
    }

    public int size() {
        return tokens.length;
    }

    public int token(int i) {
        return tokens[i];
    }

    public double prob(int i) {
        return probs[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopCandidates t && Arrays.equals(tokens, t.tokens) && Arrays.equals(probs, t.probs);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(tokens) + Arrays.hashCode(probs);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TopCandidates[");
        for (int i = 0; i < tokens.length; i++) {
            sb.append(i > 0 ? ", " : "").append(tokens[i]).append('=').append(probs[i]);
        }
        return sb.append(']').toString();
    }
}

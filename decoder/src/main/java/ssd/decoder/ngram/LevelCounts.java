package ssd.decoder.ngram;

/**
 * The kept n-grams of one order (bigram or trigram), grouped by context, in CSR layout: context {@code c}
 * has key {@code contextKeys[c]} (the token for bigrams, the packed (t1, t2) pair for trigrams), was followed
 * by {@code contextTotals[c]} tokens in the corpus (cut-off n-grams included: that mass is backed off), and
 * keeps followers {@code tokens[offsets[c] .. offsets[c+1])} with {@code counts[...]}.
 * Contexts are in ascending key order, followers in ascending token order; a context with no kept follower is
 * not stored (the model treats it exactly like an unseen context).
 *
 * <p>Plain data: the arrays are shared, not copied; nobody mutates them after construction.
 */
public record LevelCounts(long[] contextKeys, long[] contextTotals, int[] offsets, int[] tokens, int[] counts) {

    public int contexts() {
        return contextKeys.length;
    }

    public int entries() {
        return tokens.length;
    }

    /**
     * Checks the invariants above (used on data read from a file).
     *
     * @param trigram whether keys are packed (t1, t2) pairs
     * @throws IllegalArgumentException naming the first violation
     */
    void validate(int vocabSize, boolean trigram, int minCount) {
        int n = contextKeys.length;
        if (contextTotals.length != n || offsets.length != n + 1 || counts.length != tokens.length
                || offsets[0] != 0 || offsets[n] != tokens.length) {
            throw new IllegalArgumentException("inconsistent array lengths");
        }
        long prevKey = -1;
        for (int c = 0; c < n; c++) {
            long key = contextKeys[c];
            if (key <= prevKey) {
                throw new IllegalArgumentException("context keys not strictly ascending at context " + c);
            }
            prevKey = key;
            boolean inVocab = trigram
                    ? key >= 0 && NgramKeys.first(key) < vocabSize && NgramKeys.last(key) < vocabSize
                      && (key >>> (2 * NgramKeys.BITS)) == 0
                    : key >= 0 && key < vocabSize;
            if (!inVocab) {
                throw new IllegalArgumentException("context key " + key + " outside the vocabulary");
            }
            int from = offsets[c];
            int to = offsets[c + 1];
            if (to <= from) {
                throw new IllegalArgumentException("context " + c + " has no followers");
            }
            long sum = 0;
            int prevTok = -1;
            for (int i = from; i < to; i++) {
                if (tokens[i] <= prevTok || tokens[i] >= vocabSize) {
                    throw new IllegalArgumentException("bad follower token " + tokens[i] + " in context " + c);
                }
                prevTok = tokens[i];
                if (counts[i] < minCount) {
                    throw new IllegalArgumentException(
                            "count " + counts[i] + " below the cut-off " + minCount + " in context " + c);
                }
                sum += counts[i];
            }
            if (contextTotals[c] < sum) {
                throw new IllegalArgumentException("context total " + contextTotals[c]
                        + " below the sum of its kept counts " + sum + " in context " + c);
            }
        }
    }
}

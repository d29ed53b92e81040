package ssd.decoder.ngram;

/**
 * Estimation settings of a Katz back-off trigram.
 *
 * @param discountCutoff  k of Katz: counts 1..k are Good-Turing discounted, counts above k are trusted as is
 *                        (Katz 1987 used 5); 0 disables discounting (back-off mass then comes only from cut-offs)
 * @param minBigramCount  bigrams seen fewer times are dropped (their mass goes to the unigram back-off); 1 keeps all
 * @param minTrigramCount trigrams seen fewer times are dropped (their mass goes to the bigram back-off); 1 keeps all
 */
public record KatzConfig(int discountCutoff, int minBigramCount, int minTrigramCount) {
    /** Katz's k = 5; keeps every bigram and drops trigrams seen once (the usual first cut-off). */
    public static final KatzConfig DEFAULT = new KatzConfig(5, 1, 2);

    public KatzConfig {
        if (discountCutoff < 0 || discountCutoff > 1000) {
            throw new IllegalArgumentException("discountCutoff must be in [0, 1000], got " + discountCutoff);
        }
        if (minBigramCount < 1 || minTrigramCount < 1) {
            throw new IllegalArgumentException(
                    "count cut-offs must be >= 1, got bigram " + minBigramCount + ", trigram " + minTrigramCount);
        }
    }

    public KatzConfig withCutoffs(int minBigram, int minTrigram) {
        return new KatzConfig(discountCutoff, minBigram, minTrigram);
    }
}

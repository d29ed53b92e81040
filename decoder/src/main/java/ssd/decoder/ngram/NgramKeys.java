package ssd.decoder.ngram;

/**
 * Packs token n-grams into one {@code long} so counts live in primitive long-keyed maps
 * (no boxed keys, no per-entry objects). Each token takes {@value #BITS} bits, so a trigram
 * uses 63 bits and the key is never negative.
 */
final class NgramKeys {
    static final int BITS = 21;
    /** Largest vocabulary the packing supports (2^21 = 2,097,152; GPT-2 needs 50,257). */
    static final int MAX_VOCAB = 1 << BITS;
    static final long MASK = MAX_VOCAB - 1L;

    private NgramKeys() {
    }

    static long bigram(int t1, int t2) {
        return ((long) t1 << BITS) | t2;
    }

    static long trigram(int t1, int t2, int t3) {
        return ((long) t1 << (2 * BITS)) | ((long) t2 << BITS) | t3;
    }

    /** The (t1, t2) context of a packed trigram, itself a packed bigram. */
    static long contextOf(long trigramKey) {
        return trigramKey >>> BITS;
    }

    /** The last token of a packed bigram or trigram. */
    static int last(long key) {
        return (int) (key & MASK);
    }

    /** The first token of a packed bigram. */
    static int first(long bigramKey) {
        return (int) (bigramKey >>> BITS);
    }
}

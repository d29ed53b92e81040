package ssd.datasets.corpus;

import java.util.Arrays;

/**
 * MinHash signatures of a file's word 5-shingles, as in The Stack's near-deduplication (words are runs of
 * letters, digits and underscores). 128 slots, read by LSH as 16 bands of 8 rows: a pair at Jaccard 0.85 shares a
 * band with probability 0.994, a pair at 0.5 with 0.06, and candidates are then confirmed on the whole signature.
 *
 * <p>One-permutation hashing with optimal densification (Shrivastava 2017) instead of 128 independent hash
 * functions: each shingle is hashed once, its top bits choose a slot and the rest compete for that slot's
 * minimum; empty slots then borrow from a slot chosen by a fixed probe sequence. The fraction of equal slots is
 * still an unbiased Jaccard estimate, at 1/128 of the hashing cost (which otherwise dominated the build).
 */
public final class MinHash {
    public static final int PERMUTATIONS = 128;
    public static final int BANDS = 16;
    public static final int ROWS = PERMUTATIONS / BANDS;
    static final int SHINGLE = 5;
    private static final int SLOT_BITS = 7; // log2(PERMUTATIONS)
    /** The first probes of every slot's densification sequence, precomputed (small files probe a lot). */
    private static final int CACHED_PROBES = 64;
    private static final byte[][] PROBES = new byte[PERMUTATIONS][CACHED_PROBES];

    static {
        for (int i = 0; i < PERMUTATIONS; i++) {
            for (int a = 0; a < CACHED_PROBES; a++) PROBES[i][a] = (byte) probe(i, a + 1);
        }
    }

    private MinHash() {
    }

    public static int[] signature(CharSequence text) {
        return signature(text.toString().toCharArray());
    }

    public static int[] signature(char[] text) {
        int[] sig = new int[PERMUTATIONS];
        Arrays.fill(sig, Integer.MAX_VALUE);
        boolean[] filled = new boolean[PERMUTATIONS];
        long[] ring = new long[SHINGLE];
        int words = 0;
        long h = 0;
        boolean inWord = false;
        int n = text.length;
        for (int i = 0; i <= n; i++) {
            char c = i < n ? text[i] : ' ';
            if (isWordChar(c)) {
                if (!inWord) h = 0xcbf29ce484222325L; // FNV-1a over the word's chars
                h = (h ^ c) * 0x100000001b3L;
                inWord = true;
            } else if (inWord) {
                inWord = false;
                ring[words % SHINGLE] = mix(h);
                words++;
                if (words >= SHINGLE) add(sig, filled, shingle(ring, words, SHINGLE));
            }
        }
        if (words > 0 && words < SHINGLE) add(sig, filled, shingle(ring, words, words));
        if (words > 0) densify(sig, filled);
        return sig;
    }

    /** The fraction of agreeing functions: an unbiased estimate of the shingle sets' Jaccard similarity. */
    public static double similarity(int[] x, int[] y) {
        int same = 0;
        for (int k = 0; k < PERMUTATIONS; k++) if (x[k] == y[k]) same++;
        return (double) same / PERMUTATIONS;
    }

    /** A hash of band {@code band}'s rows, for LSH buckets. */
    public static long bandKey(int[] sig, int band) {
        long h = band;
        for (int r = band * ROWS; r < (band + 1) * ROWS; r++) h = mix(h * 0x9E3779B97F4A7C15L + sig[r]);
        return h;
    }

    private static boolean isWordChar(char c) {
        if (c < 128) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        return Character.isLetterOrDigit(c);
    }

    /** The last {@code len} words, oldest first, combined into one 64-bit hash. */
    private static long shingle(long[] ring, int words, int len) {
        long s = len;
        for (int j = words - len; j < words; j++) s = s * 0x9E3779B97F4A7C15L + ring[j % SHINGLE];
        return mix(s);
    }

    private static void add(int[] sig, boolean[] filled, long h) {
        int slot = (int) (h >>> (64 - SLOT_BITS));
        int value = (int) h;
        if (value < sig[slot]) sig[slot] = value;
        filled[slot] = true;
    }

    /** Each empty slot copies the first originally filled slot of its own fixed pseudo-random probe sequence. */
    private static void densify(int[] sig, boolean[] filled) {
        for (int i = 0; i < PERMUTATIONS; i++) {
            if (filled[i]) continue;
            for (int attempt = 1; ; attempt++) {
                int j = attempt <= CACHED_PROBES ? PROBES[i][attempt - 1] : probe(i, attempt);
                if (filled[j]) {
                    sig[i] = sig[j];
                    break;
                }
            }
        }
    }

    private static int probe(int slot, int attempt) {
        return (int) (mix(slot * 0x9E3779B97F4A7C15L + attempt) >>> (64 - SLOT_BITS));
    }

    /** murmur3's 64-bit finalizer. */
    static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}

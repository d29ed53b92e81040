package ssd.decoder.ngram;

import it.unimi.dsi.fastutil.ints.IntArrays;

import java.util.Objects;

/**
 * An immutable Katz back-off trigram (Katz 1987) over a fixed vocabulary: the "draft-squared" lowest stage of
 * staged speculative decoding. Thread-safe; queries allocate nothing except the {@link TopCandidates} variants
 * of top-m and top-m with m above 256 (which sorts the full distribution).
 *
 * <h2>Model</h2>
 * With c(.) the counts, N(h) the number of tokens that followed history h in the corpus (cut-off n-grams
 * included), d_r the {@link GoodTuring} discounts of the n-gram's order and r* = d_r r:
 * <pre>
 *   P(w | u v) = c(u v w)* / N(u v)          if (u v w) was kept
 *              = alpha(u v) P(w | v)          otherwise
 *   P(w | v)   = c(v w)* / N(v)               if (v w) was kept
 *              = alpha(v) P(w)                otherwise
 *   P(w)       = (c(w) + 1) / (N + V)         (add-one: every token of the vocabulary has mass)
 *   alpha(h)   = (1 - sum_{kept w} P(w | h)) / (1 - sum_{kept w} P_lower(w))
 * </pre>
 * so every context's distribution sums to 1 over the whole vocabulary. A history with no kept follower behaves
 * exactly like an unseen one (alpha = 1, plain back-off). Numerics (so the sums are within ~1e-12 of 1):
 * the numerator of alpha is accumulated from positive terms (the discounted-away mass plus the cut-off mass),
 * never as 1 minus a sum; the unigram part of the denominator is an exact integer ratio; the bigram part is
 * {@code T - A} only when that difference is not tiny, else an exact sum over the unseen followers. If a history's
 * kept followers cover every token with lower-order mass (the denominator is exactly 0) its kept probabilities
 * are renormalised to sum to 1 and alpha = 0. A history whose followers were all seen more than k times and
 * none cut off keeps no back-off mass either (alpha = 0, as in Katz's formulation): tokens outside then get
 * probability 0 in that context.
 *
 * <h2>Contexts</h2>
 * A context is (t1, t2) with t1 before t2; pass {@link #NONE} for missing positions at the start of a sequence:
 * (NONE, t2) asks for P(. | t2), (NONE, NONE) for P(.). The {@code int[]} variants use the last two (or fewer)
 * tokens of a history.
 */
public final class KatzTrigram {
    /** Marks an absent context position. */
    public static final int NONE = -1;

    /** Below this, the bigram mass left after the trigram's followers is re-summed exactly. */
    private static final double EXACT_REST_BELOW = 1e-4;
    /** Above this m, top-m sorts the full distribution instead of merging the ranked lists. */
    private static final int MERGE_MAX_M = 256;

    private final KatzCounts counts;
    private final int vocabSize;
    private final long[] uni;
    private final long uniDenomExact;   // N + V
    private final double uniDenom;
    private final int[] uniRank;         // all tokens by (count desc, token asc)
    private final LevelTable bi;
    private final LevelTable tri;
    private final double[] biMass;       // per bigram context: sum of its kept probabilities
    private final long[] biPlusOne;      // per bigram context: sum over kept followers of c(w) + 1

    private KatzTrigram(KatzCounts counts) {
        this.counts = counts;
        this.vocabSize = counts.vocabSize();
        this.uni = counts.unigramCounts();
        this.uniDenomExact = counts.totalTokens() + vocabSize;
        this.uniDenom = uniDenomExact;
        int k = counts.config().discountCutoff();
        GoodTuring biGt = GoodTuring.estimate(k, counts.bigramCountOfCounts());
        GoodTuring triGt = GoodTuring.estimate(k, counts.trigramCountOfCounts());
        this.bi = new LevelTable(counts.bigrams(), biGt, vocabSize, true);
        this.tri = new LevelTable(counts.trigrams(), triGt, vocabSize, false);
        this.biMass = new double[bi.alpha.length];
        this.biPlusOne = new long[bi.alpha.length];

        this.uniRank = new int[vocabSize];
        for (int w = 0; w < vocabSize; w++) {
            uniRank[w] = w;
        }
        IntArrays.quickSort(uniRank, (a, b) -> {
            int cmp = Long.compare(uni[b], uni[a]);
            return cmp != 0 ? cmp : Integer.compare(a, b);
        });

        estimateBigrams();
        estimateTrigrams();
        bi.computeRanks();
        tri.computeRanks();
    }

    /** Applies {@code config}'s cut-offs to {@code counts} and estimates the model. */
    public static KatzTrigram build(TrigramCounts counts, KatzConfig config) {
        return new KatzTrigram(KatzCounts.from(counts, config));
    }

    /**
     * Estimates the model from already cut-off counts (e.g. read from a file).
     *
     * @throws IllegalArgumentException if the counts violate an invariant
     */
    public static KatzTrigram fromCounts(KatzCounts counts) {
        counts.validate();
        return new KatzTrigram(counts);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Estimation

    private void estimateBigrams() {
        for (int c = 0; c < bi.alpha.length; c++) {
            long total = bi.counts.contextTotals()[c];
            long kept = 0;
            long plusOne = 0;
            double discounted = 0.0;   // sum of r - r*, all >= 0
            double effective = 0.0;
            for (int i = bi.from(c); i < bi.to(c); i++) {
                int r = bi.cnt[i];
                double rStar = bi.discounts.effectiveCount(r);
                kept += r;
                discounted += r - rStar;
                effective += rStar;
                plusOne += uni[bi.tokens[i]] + 1;
            }
            long restNum = uniDenomExact - plusOne;   // unigram mass outside the kept followers, times N + V
            double leftover = (discounted + (total - kept)) / total;
            if (restNum == 0) {
                bi.divisor[c] = effective;
                bi.alpha[c] = 0.0;
            } else {
                bi.divisor[c] = total;
                bi.alpha[c] = leftover / (restNum / uniDenom);
            }
            biPlusOne[c] = plusOne;
            biMass[c] = kahanSum(bi, c);
        }
    }

    private void estimateTrigrams() {
        long[] keys = tri.counts.contextKeys();
        for (int c = 0; c < tri.alpha.length; c++) {
            long total = tri.counts.contextTotals()[c];
            int c2 = bi.find(NgramKeys.last(keys[c]));
            long kept = 0;
            double discounted = 0.0;
            double effective = 0.0;
            // Lower-order (bigram-context) mass of the kept followers: bigram-kept part A, unigram part plusOne.
            double a = 0.0;
            double comp = 0.0;
            long plusOne = 0;
            for (int i = tri.from(c); i < tri.to(c); i++) {
                int r = tri.cnt[i];
                double rStar = tri.discounts.effectiveCount(r);
                kept += r;
                discounted += r - rStar;
                effective += rStar;
                int w = tri.tokens[i];
                int j = c2 >= 0 ? bi.indexOf(c2, w) : -1;
                if (j >= 0) {
                    double y = bi.prob(c2, j) - comp;
                    double t = a + y;
                    comp = (t - a) - y;
                    a = t;
                } else {
                    plusOne += uni[w] + 1;
                }
            }
            double leftover = (discounted + (total - kept)) / total;
            double denom;
            if (c2 < 0) {
                denom = (uniDenomExact - plusOne) / uniDenom;
            } else {
                double rest = biMass[c2] - a;
                if (rest < EXACT_REST_BELOW) {
                    rest = exactRest(c2, c);
                }
                long restNum = uniDenomExact - biPlusOne[c2] - plusOne;
                denom = rest + bi.alpha[c2] * (restNum / uniDenom);
            }
            if (denom <= 0.0) {
                tri.divisor[c] = effective;
                tri.alpha[c] = 0.0;
            } else {
                tri.divisor[c] = total;
                tri.alpha[c] = leftover / denom;
            }
        }
    }

    /** Sum of P(w | v) over the kept followers of bigram context c2 that are not kept in trigram context c3. */
    private double exactRest(int c2, int c3) {
        double sum = 0.0;
        double comp = 0.0;
        int j = tri.from(c3);
        int jEnd = tri.to(c3);
        for (int i = bi.from(c2); i < bi.to(c2); i++) {
            int w = bi.tokens[i];
            while (j < jEnd && tri.tokens[j] < w) {
                j++;
            }
            if (j < jEnd && tri.tokens[j] == w) {
                continue;
            }
            double y = bi.prob(c2, i) - comp;
            double t = sum + y;
            comp = (t - sum) - y;
            sum = t;
        }
        return sum;
    }

    private static double kahanSum(LevelTable t, int c) {
        double sum = 0.0;
        double comp = 0.0;
        for (int i = t.from(c); i < t.to(c); i++) {
            double y = t.prob(c, i) - comp;
            double s = sum + y;
            comp = (s - sum) - y;
            sum = s;
        }
        return sum;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Accessors

    /** Vocabulary size V; the decoder must refuse a trigram whose V differs from the oracle's. */
    public int vocabSize() {
        return vocabSize;
    }

    public KatzConfig config() {
        return counts.config();
    }

    /** Number of tokens the model was estimated from. */
    public long totalTokens() {
        return counts.totalTokens();
    }

    public GoodTuring bigramDiscounts() {
        return bi.discounts;
    }

    public GoodTuring trigramDiscounts() {
        return tri.discounts;
    }

    /** Bigram contexts (first tokens) with at least one kept follower. */
    public int bigramContexts() {
        return bi.alpha.length;
    }

    /** Trigram contexts (t1, t2) with at least one kept follower. */
    public int trigramContexts() {
        return tri.alpha.length;
    }

    /** Kept bigrams. */
    public int bigramEntries() {
        return bi.tokens.length;
    }

    /** Kept trigrams. */
    public int trigramEntries() {
        return tri.tokens.length;
    }

    /** Whether (t1, t2) kept trigram followers (otherwise its queries are exactly those of (NONE, t2)). */
    public boolean hasTrigramContext(int t1, int t2) {
        checkToken(t1);
        checkToken(t2);
        return tri.find(NgramKeys.bigram(t1, t2)) >= 0;
    }

    /** Whether t kept bigram followers (otherwise its queries are exactly those of the empty context). */
    public boolean hasBigramContext(int t) {
        checkToken(t);
        return bi.find(t) >= 0;
    }

    /** The data the model was estimated from (what {@link KatzTrigramFile} stores). Do not mutate its arrays. */
    KatzCounts counts() {
        return counts;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Queries

    /** P(token | t1 t2); see the class comment for {@link #NONE}. */
    public double prob(int t1, int t2, int token) {
        checkContext(t1, t2);
        checkToken(token);
        int c3 = t1 == NONE ? -1 : tri.find(NgramKeys.bigram(t1, t2));
        double a3 = 1.0;
        if (c3 >= 0) {
            int i = tri.indexOf(c3, token);
            if (i >= 0) {
                return tri.prob(c3, i);
            }
            a3 = tri.alpha[c3];
        }
        int c2 = t2 == NONE ? -1 : bi.find(t2);
        double pb;
        if (c2 >= 0) {
            int i = bi.indexOf(c2, token);
            pb = i >= 0 ? bi.prob(c2, i) : bi.alpha[c2] * unigram(token);
        } else {
            pb = unigram(token);
        }
        // The same floating-point operations as distribution() and topM(), so all three agree bit for bit.
        return a3 * pb;
    }

    /** P(token | last two tokens of history). */
    public double prob(int[] history, int token) {
        return prob(t1Of(history), t2Of(history), token);
    }

    /** Writes P(w | t1 t2) for every w into {@code out[0, V)}. */
    public void distribution(int t1, int t2, double[] out) {
        checkOut(out.length);
        forEachProb(t1, t2, (w, p) -> out[w] = p);
    }

    /** Writes P(w | t1 t2) for every w into {@code out[0, V)}, rounded to float. */
    public void distribution(int t1, int t2, float[] out) {
        checkOut(out.length);
        forEachProb(t1, t2, (w, p) -> out[w] = (float) p);
    }

    private interface ProbSink {
        void put(int token, double prob);
    }

    /** Every P(w | t1 t2) in double, the back-off mass first and the stored n-grams over it. */
    private void forEachProb(int t1, int t2, ProbSink sink) {
        checkContext(t1, t2);
        int c3 = t1 == NONE ? -1 : tri.find(NgramKeys.bigram(t1, t2));
        int c2 = t2 == NONE ? -1 : bi.find(t2);
        double a3 = c3 >= 0 ? tri.alpha[c3] : 1.0;
        double a2 = c2 >= 0 ? bi.alpha[c2] : 1.0;
        for (int w = 0; w < vocabSize; w++) sink.put(w, a3 * (a2 * unigram(w)));
        if (c2 >= 0) {
            for (int i = bi.from(c2); i < bi.to(c2); i++) sink.put(bi.tokens[i], a3 * bi.prob(c2, i));
        }
        if (c3 >= 0) {
            for (int i = tri.from(c3); i < tri.to(c3); i++) sink.put(tri.tokens[i], tri.prob(c3, i));
        }
    }

    public void distribution(int[] history, double[] out) {
        distribution(t1Of(history), t2Of(history), out);
    }

    public void distribution(int[] history, float[] out) {
        distribution(t1Of(history), t2Of(history), out);
    }

    /** The min(m, V) most likely next tokens after t1 t2, most likely first, ties by ascending token id. */
    public TopCandidates topM(int t1, int t2, int m) {
        if (m < 0) {
            throw new IllegalArgumentException("m must be >= 0, got " + m);
        }
        int n = Math.min(m, vocabSize);
        int[] tokens = new int[n];
        double[] probs = new double[n];
        topM(t1, t2, n, tokens, probs);
        return new TopCandidates(tokens, probs);
    }

    public TopCandidates topM(int[] history, int m) {
        return topM(t1Of(history), t2Of(history), m);
    }

    /**
     * Allocation-free top-m: writes the min(m, V) most likely next tokens into {@code outTokens[0, n)} and their
     * probabilities into {@code outProbs[0, n)}, most likely first, ties by ascending token id, and returns n.
     * The result is exactly the first n entries of the full distribution sorted by (probability desc, token asc).
     */
    public int topM(int t1, int t2, int m, int[] outTokens, double[] outProbs) {
        checkContext(t1, t2);
        if (m < 0) {
            throw new IllegalArgumentException("m must be >= 0, got " + m);
        }
        m = Math.min(m, vocabSize);
        if (outTokens.length < m || outProbs.length < m) {
            throw new IllegalArgumentException("output arrays shorter than m = " + m);
        }
        if (m == 0) {
            return 0;
        }
        if (m > MERGE_MAX_M) {
            return topBySorting(t1, t2, m, outTokens, outProbs);
        }
        int c3 = t1 == NONE ? -1 : tri.find(NgramKeys.bigram(t1, t2));
        int c2 = t2 == NONE ? -1 : bi.find(t2);
        double a3 = c3 >= 0 ? tri.alpha[c3] : 1.0;
        double a2 = c2 >= 0 ? bi.alpha[c2] : 1.0;
        // Three ranked sources, each disjoint from the ones before: kept trigram followers, kept bigram
        // followers not kept as trigrams (scaled by a3), all other tokens by unigram rank (scaled by a3 a2).
        // Scaling by a positive constant cannot reorder a ranked list, only turn close values into ties.
        int size = 0;
        if (c3 >= 0) {
            size = scanLevel(tri, c3, 1.0, -1, m, size, outTokens, outProbs);
        }
        if (c2 >= 0) {
            size = scanLevel(bi, c2, a3, c3, m, size, outTokens, outProbs);
        }
        return scanUnigram(a3, a2, c3, c2, m, size, outTokens, outProbs);
    }

    /** Scans context c of a level, values scale * p, skipping tokens kept in trigram context exclude (if >= 0). */
    private int scanLevel(LevelTable t, int c, double scale, int exclude, int m, int size,
                          int[] tok, double[] pr) {
        int from = t.from(c);
        int to = t.to(c);
        if (scale == 0.0) {
            // Every value is 0: the lowest token ids win, and followers are stored by ascending id.
            for (int i = from; i < to; i++) {
                int w = t.tokens[i];
                if (size == m && (pr[m - 1] > 0.0 || w > tok[m - 1])) {
                    break;
                }
                if (exclude < 0 || !tri.contains(exclude, w)) {
                    size = insert(0.0, w, m, size, tok, pr);
                }
            }
            return size;
        }
        int j = from;
        while (j < to) {
            double p = t.probAtRank(c, j);
            double v = scale * p;
            int w = t.rankTokens[j];
            if (size == m) {
                double threshold = pr[m - 1];
                if (v < threshold) {
                    break;   // ranks are non-increasing: nothing further can enter
                }
                if (v == threshold && w > tok[m - 1]) {
                    // Same-probability followers come by ascending id, so the rest of this run cannot enter;
                    // a later run may still tie at v after scaling, with a smaller id.
                    j = t.endOfRun(c, j, p);
                    continue;
                }
            }
            if (exclude < 0 || !tri.contains(exclude, w)) {
                size = insert(v, w, m, size, tok, pr);
            }
            j++;
        }
        return size;
    }

    private int scanUnigram(double a3, double a2, int c3, int c2, int m, int size, int[] tok, double[] pr) {
        if (a3 == 0.0 || a2 == 0.0) {
            for (int w = 0; w < vocabSize; w++) {
                if (size == m && (pr[m - 1] > 0.0 || w > tok[m - 1])) {
                    break;
                }
                if (!backedOffAbove(w, c3, c2)) {
                    size = insert(0.0, w, m, size, tok, pr);
                }
            }
            return size;
        }
        int j = 0;
        while (j < vocabSize) {
            int w = uniRank[j];
            double v = a3 * (a2 * unigram(w));
            if (size == m) {
                double threshold = pr[m - 1];
                if (v < threshold) {
                    break;
                }
                if (v == threshold && w > tok[m - 1]) {
                    j = endOfUnigramRun(j);
                    continue;
                }
            }
            if (!backedOffAbove(w, c3, c2)) {
                size = insert(v, w, m, size, tok, pr);
            }
            j++;
        }
        return size;
    }

    /** Whether w is kept in trigram context c3 or bigram context c2 (so it is not a unigram-level candidate). */
    private boolean backedOffAbove(int w, int c3, int c2) {
        return (c3 >= 0 && tri.contains(c3, w)) || (c2 >= 0 && bi.contains(c2, w));
    }

    private int endOfUnigramRun(int j) {
        long count = uni[uniRank[j]];
        int lo = j + 1;
        int hi = vocabSize;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (uni[uniRank[mid]] < count) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** Inserts (v, w) into the buffer kept sorted by (value desc, token asc), capacity m; returns the new size. */
    private static int insert(double v, int w, int m, int size, int[] tok, double[] pr) {
        int pos;
        if (size == m) {
            if (!(v > pr[m - 1] || (v == pr[m - 1] && w < tok[m - 1]))) {
                return size;
            }
            pos = m - 1;
        } else {
            pos = size++;
        }
        while (pos > 0 && (v > pr[pos - 1] || (v == pr[pos - 1] && w < tok[pos - 1]))) {
            tok[pos] = tok[pos - 1];
            pr[pos] = pr[pos - 1];
            pos--;
        }
        tok[pos] = w;
        pr[pos] = v;
        return size;
    }

    private int topBySorting(int t1, int t2, int m, int[] outTokens, double[] outProbs) {
        double[] p = new double[vocabSize];
        distribution(t1, t2, p);
        int[] order = new int[vocabSize];
        for (int w = 0; w < vocabSize; w++) {
            order[w] = w;
        }
        IntArrays.quickSort(order, (a, b) -> {
            int cmp = Double.compare(p[b], p[a]);
            return cmp != 0 ? cmp : Integer.compare(a, b);
        });
        for (int i = 0; i < m; i++) {
            outTokens[i] = order[i];
            outProbs[i] = p[order[i]];
        }
        return m;
    }

    private double unigram(int w) {
        return (uni[w] + 1) / uniDenom;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Argument checks

    private static int t1Of(int[] history) {
        Objects.requireNonNull(history, "history");
        return history.length >= 2 ? history[history.length - 2] : NONE;
    }

    private static int t2Of(int[] history) {
        return history.length >= 1 ? history[history.length - 1] : NONE;
    }

    private void checkContext(int t1, int t2) {
        if (t2 == NONE) {
            if (t1 != NONE) {
                throw new IllegalArgumentException("context (" + t1 + ", NONE): t1 given without t2");
            }
            return;
        }
        checkToken(t2);
        if (t1 != NONE) {
            checkToken(t1);
        }
    }

    private void checkToken(int t) {
        if (t < 0 || t >= vocabSize) {
            throw new IllegalArgumentException("token " + t + " is outside the vocabulary [0, " + vocabSize + ")");
        }
    }

    private void checkOut(int length) {
        if (length < vocabSize) {
            throw new IllegalArgumentException(
                    "output array has " + length + " entries, the vocabulary " + vocabSize);
        }
    }
}

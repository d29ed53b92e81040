package ssd.decoder.ngram;

import it.unimi.dsi.fastutil.ints.IntIterator;

import java.util.Arrays;

/**
 * Katz's Good-Turing discount ratios d_1..d_k for one n-gram order, from its count-of-counts n_r
 * (n_r = number of distinct n-grams seen exactly r times, counted before any cut-off).
 *
 * <pre>
 *   A   = (k+1) n_{k+1} / n_1
 *   d_r = ((r+1) n_{r+1} / (r n_r) - A) / (1 - A)      for 1 &lt;= r &lt;= k,    d_r = 1 for r &gt; k
 * </pre>
 * (Katz 1987; Jurafsky &amp; Martin, Speech and Language Processing, 2nd ed., 4.5-4.7; Chen &amp; Goodman 1998,
 * "An empirical study of smoothing techniques for language modeling", 2.4.)
 *
 * <p>Real count-of-counts can make d_r meaningless (n_r = 0, n_{r+1} = 0, A &gt;= 1, or a ratio above 1 when
 * n_r is not decreasing). A discount is valid only when finite and in (0, 1]. Fallbacks, per r:
 * <ol>
 *   <li>{@link Source#ABSOLUTE}: absolute discounting d_r = (r - D) / r with Ney's estimate
 *       D = n_1 / (n_1 + 2 n_2), used when 0 &lt; D &lt; 1;</li>
 *   <li>{@link Source#NONE}: otherwise no discount, d_r = 1.</li>
 * </ol>
 * Both keep d_r in (0, 1], so discounted counts stay positive and every context keeps non-negative back-off mass.
 */
public final class GoodTuring {
    /** Where a discount came from. */
    public enum Source { GOOD_TURING, ABSOLUTE, NONE }

    private final int k;
    private final long[] countOfCounts;   // index r = 1..k+1; index 0 unused (0)
    private final double[] discounts;     // index r = 1..k
    private final double[] effective;     // index r = 0..k: d_r * r
    private final Source[] sources;

    private GoodTuring(int k, long[] countOfCounts) {
        this.k = k;
        this.countOfCounts = countOfCounts;
        this.discounts = new double[k + 1];
        this.effective = new double[k + 1];
        this.sources = new Source[k + 1];
        discounts[0] = 1.0;
        sources[0] = Source.NONE;
        double n1 = countOfCounts[1];
        double a = k == 0 ? 0.0 : (k + 1) * (double) countOfCounts[k + 1] / n1;
        double absD = countOfCounts.length > 2 ? n1 / (n1 + 2.0 * countOfCounts[2]) : Double.NaN;
        for (int r = 1; r <= k; r++) {
            double ratio = (r + 1) * (double) countOfCounts[r + 1] / (r * (double) countOfCounts[r]);
            double d = (ratio - a) / (1.0 - a);
            if (valid(d)) {
                discounts[r] = d;
                sources[r] = Source.GOOD_TURING;
            } else if (absD > 0.0 && absD < 1.0) {
                discounts[r] = (r - absD) / r;
                sources[r] = Source.ABSOLUTE;
            } else {
                discounts[r] = 1.0;
                sources[r] = Source.NONE;
            }
            effective[r] = discounts[r] * r;
        }
    }

    private static boolean valid(double d) {
        return Double.isFinite(d) && d > 0.0 && d <= 1.0;
    }

    /**
     * @param k             discount cut-off (Katz's k)
     * @param countOfCounts {@code countOfCounts[r]} = n_r for r = 1..k+1 (length k+2; index 0 ignored)
     */
    public static GoodTuring estimate(int k, long[] countOfCounts) {
        if (k < 0) {
            throw new IllegalArgumentException("k must be >= 0, got " + k);
        }
        if (countOfCounts.length != k + 2) {
            throw new IllegalArgumentException(
                    "need n_0..n_" + (k + 1) + " (" + (k + 2) + " entries), got " + countOfCounts.length);
        }
        long[] copy = countOfCounts.clone();
        copy[0] = 0;
        for (int r = 1; r < copy.length; r++) {
            if (copy[r] < 0) {
                throw new IllegalArgumentException("negative count-of-counts n_" + r + " = " + copy[r]);
            }
        }
        return new GoodTuring(k, copy);
    }

    /** n_0..n_{k+1} (n_0 = 0) of the given n-gram counts. */
    public static long[] countOfCounts(IntIterator counts, int k) {
        long[] n = new long[k + 2];
        while (counts.hasNext()) {
            int c = counts.nextInt();
            if (c >= 1 && c <= k + 1) {
                n[c]++;
            }
        }
        return n;
    }

    public int k() {
        return k;
    }

    /** n_r for 1 &lt;= r &lt;= k+1. */
    public long countOfCounts(int r) {
        return countOfCounts[r];
    }

    /** The count-of-counts table, n_0..n_{k+1} (a copy). */
    public long[] countOfCounts() {
        return countOfCounts.clone();
    }

    /** d_r; 1 for r &gt; k. */
    public double discount(int r) {
        if (r < 1) {
            throw new IllegalArgumentException("r must be >= 1, got " + r);
        }
        return r <= k ? discounts[r] : 1.0;
    }

    /** Where d_r came from ({@link Source#NONE} for r &gt; k). */
    public Source source(int r) {
        if (r < 1) {
            throw new IllegalArgumentException("r must be >= 1, got " + r);
        }
        return r <= k ? sources[r] : Source.NONE;
    }

    /** The discounted count r* = d_r r (r itself above k). Hot path: no checks beyond r &gt;= 0. */
    double effectiveCount(int r) {
        return r <= k ? effective[r] : r;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("GoodTuring{k=").append(k).append(", n=")
                .append(Arrays.toString(Arrays.copyOfRange(countOfCounts, 1, countOfCounts.length)))
                .append(", d=[");
        for (int r = 1; r <= k; r++) {
            sb.append(r > 1 ? ", " : "").append(discounts[r]).append(' ').append(sources[r]);
        }
        return sb.append("]}").toString();
    }
}

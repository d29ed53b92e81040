package ssd.decoder.ngram;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class GoodTuringTest {
    static final double EPS = 1e-15;

    @Test
    void countOfCountsOfTheToyCorpus() {
        TrigramCounts c = Corpora.count(6, Corpora.toy());
        KatzCounts kc = KatzCounts.from(c, new KatzConfig(2, 1, 1));
        // Bigrams: 00:4 01:1 02:2 10:3 11:2 12:1 20:1 22:1 23:1 -> n1 = 5, n2 = 2, n3 = 1.
        assertThat(kc.bigramCountOfCounts()).containsExactly(0, 5, 2, 1);
        // Trigrams: 000:3 011:1 020:1 101:1 102:2 110:2 122:1 200:1 223:1 -> n1 = 6, n2 = 2, n3 = 1.
        assertThat(kc.trigramCountOfCounts()).containsExactly(0, 6, 2, 1);
    }

    @Test
    void katzDiscountsOfTheToyCorpus() {
        // Bigrams, k = 2: A = 3 n3 / n1 = 3/5.
        //   d1 = (2 n2 / n1 - A) / (1 - A) = (4/5 - 3/5) / (2/5) = 1/2
        //   d2 = (3 n3 / (2 n2) - A) / (1 - A) = (3/4 - 3/5) / (2/5) = 3/8
        GoodTuring bi = GoodTuring.estimate(2, new long[] {0, 5, 2, 1});
        assertThat(bi.discount(1)).isCloseTo(0.5, within(EPS));
        assertThat(bi.discount(2)).isCloseTo(0.375, within(EPS));
        assertThat(bi.discount(3)).isEqualTo(1.0);
        assertThat(bi.discount(100)).isEqualTo(1.0);
        assertThat(bi.source(1)).isEqualTo(GoodTuring.Source.GOOD_TURING);
        assertThat(bi.source(2)).isEqualTo(GoodTuring.Source.GOOD_TURING);
        assertThat(bi.effectiveCount(2)).isCloseTo(0.75, within(EPS));
        assertThat(bi.effectiveCount(7)).isEqualTo(7.0);
        // Trigrams, k = 2: A = 3/6 = 1/2; d1 = (4/6 - 1/2) / (1/2) = 1/3; d2 = (3/4 - 1/2) / (1/2) = 1/2.
        GoodTuring tri = GoodTuring.estimate(2, new long[] {0, 6, 2, 1});
        assertThat(tri.discount(1)).isCloseTo(1.0 / 3, within(EPS));
        assertThat(tri.discount(2)).isCloseTo(0.5, within(EPS));
    }

    @Test
    void katzFormulaWithKFive() {
        // Typical, decreasing count-of-counts: n1..n6 = 1000, 400, 200, 120, 80, 50. A = 6 * 50 / 1000 = 0.3.
        long[] n = {0, 1000, 400, 200, 120, 80, 50};
        GoodTuring gt = GoodTuring.estimate(5, n);
        double a = 0.3;
        double[] expected = {
                (2 * 400 / 1000.0 - a) / (1 - a),       // 0.7143
                (3 * 200 / (2 * 400.0) - a) / (1 - a),  // 0.6429
                (4 * 120 / (3 * 200.0) - a) / (1 - a),  // 0.7143
                (5 * 80 / (4 * 120.0) - a) / (1 - a),   // 0.7619
                (6 * 50 / (5 * 80.0) - a) / (1 - a),    // 0.6429
        };
        for (int r = 1; r <= 5; r++) {
            assertThat(gt.discount(r)).as("d_%d", r).isCloseTo(expected[r - 1], within(1e-12));
            assertThat(gt.source(r)).isEqualTo(GoodTuring.Source.GOOD_TURING);
        }
        assertThat(gt.discount(1)).isCloseTo(0.5 / 0.7, within(1e-12));
    }

    @Test
    void invalidRatioFallsBackToAbsoluteDiscounting() {
        // n2 > n1: the r = 1 ratio 2 n2 / n1 = 3 gives d1 = (3 - 0.3) / 0.7 > 1 (invalid).
        // Fallback D = n1 / (n1 + 2 n2) = 100 / 400 = 1/4, d1 = (1 - 1/4) / 1 = 3/4.
        long[] n = {0, 100, 150, 10};
        GoodTuring gt = GoodTuring.estimate(2, n);
        assertThat(gt.source(1)).isEqualTo(GoodTuring.Source.ABSOLUTE);
        assertThat(gt.discount(1)).isCloseTo(0.75, within(EPS));
        // d2: A = 3 * 10 / 100 = 0.3, ratio = 3 * 10 / 300 = 0.1 -> (0.1 - 0.3) / 0.7 < 0: absolute, (2 - 1/4) / 2.
        assertThat(gt.source(2)).isEqualTo(GoodTuring.Source.ABSOLUTE);
        assertThat(gt.discount(2)).isCloseTo(0.875, within(EPS));
    }

    @Test
    void noSingletonsMeansNoDiscount() {
        // n1 = 0: neither Good-Turing nor Ney's D = n1 / (n1 + 2 n2) = 0 is usable.
        GoodTuring gt = GoodTuring.estimate(3, new long[] {0, 0, 5, 3, 2});
        for (int r = 1; r <= 3; r++) {
            assertThat(gt.source(r)).isEqualTo(GoodTuring.Source.NONE);
            assertThat(gt.discount(r)).isEqualTo(1.0);
        }
        // Empty corpus: all zero.
        GoodTuring empty = GoodTuring.estimate(5, new long[7]);
        assertThat(empty.discount(1)).isEqualTo(1.0);
        assertThat(empty.source(5)).isEqualTo(GoodTuring.Source.NONE);
    }

    @Test
    void discountsAlwaysInUnitInterval() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
        for (int trial = 0; trial < 2000; trial++) {
            int k = rnd.nextInt(0, 7);
            long[] n = new long[k + 2];
            for (int r = 1; r < n.length; r++) {
                n[r] = rnd.nextInt(0, 50);
            }
            GoodTuring gt = GoodTuring.estimate(k, n);
            for (int r = 1; r <= k + 2; r++) {
                assertThat(gt.discount(r)).isGreaterThan(0.0).isLessThanOrEqualTo(1.0);
            }
        }
    }

    @Test
    void countOfCountsIgnoresCountsAboveKPlusOne() {
        long[] n = GoodTuring.countOfCounts(IntArrayList.of(1, 1, 2, 3, 4, 9, 1).iterator(), 2);
        assertThat(n).containsExactly(0, 3, 1, 1);
    }

    @Test
    void rejectsBadTables() {
        assertThatThrownBy(() -> GoodTuring.estimate(2, new long[3])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoodTuring.estimate(1, new long[] {0, -1, 2}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package ssd.decoder.ngram;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static ssd.decoder.ngram.KatzTrigram.NONE;

class KatzTrigramTest {
    static final double EXACT = 1e-14;
    static final double SUM_TOLERANCE = 1e-9;

    // -----------------------------------------------------------------------------------------------------------
    // Hand-computed toy corpus (Corpora.toy(), V = 6, k = 2, no cut-offs).
    //   Documents: [1 2 2 3], [1 1 0 1 1 0 2], [1 0 2 0 0 0 0 0]; N = 19; tokens 4 and 5 never occur.
    //   Unigrams c(0..5) = 8 6 4 1 0 0, add-one over N + V = 25: P(w) = 9/25 7/25 5/25 2/25 1/25 1/25.
    //   Bigram count-of-counts n1..n3 = 5 2 1 -> d1 = 1/2, d2 = 3/8 (GoodTuringTest).
    //   Trigram count-of-counts n1..n3 = 6 2 1 -> d1 = 1/3, d2 = 1/2.

    static KatzTrigram toy(int minBigram, int minTrigram) {
        return KatzTrigram.build(Corpora.count(6, Corpora.toy()), new KatzConfig(2, minBigram, minTrigram));
    }

    @Test
    void unigramIsAddOne() {
        KatzTrigram m = toy(1, 1);
        double[] expected = {9 / 25.0, 7 / 25.0, 5 / 25.0, 2 / 25.0, 1 / 25.0, 1 / 25.0};
        for (int w = 0; w < 6; w++) {
            assertThat(m.prob(NONE, NONE, w)).isCloseTo(expected[w], within(EXACT));
        }
    }

    @Test
    void handComputedBigramContext() {
        KatzTrigram m = toy(1, 1);
        // Context 0: followers 0:4, 1:1, 2:2, N(0) = 7.
        //   P(0|0) = 4/7 (4 > k: not discounted), P(1|0) = (1/2 * 1)/7 = 1/14, P(2|0) = (3/8 * 2)/7 = 3/28.
        //   left = 1 - 4/7 - 1/14 - 3/28 = 1/4; unigram mass outside {0,1,2} = 1 - 21/25 = 4/25
        //   alpha(0) = (1/4) / (4/25) = 25/16 -> P(3|0) = 25/16 * 2/25 = 1/8, P(4|0) = P(5|0) = 1/16.
        double[] expected = {4 / 7.0, 1 / 14.0, 3 / 28.0, 1 / 8.0, 1 / 16.0, 1 / 16.0};
        for (int w = 0; w < 6; w++) {
            assertThat(m.prob(NONE, 0, w)).as("P(%d|0)", w).isCloseTo(expected[w], within(EXACT));
        }
        // Context 2: followers 0:1, 2:1, 3:1, N(2) = 3: each (1/2)/3 = 1/6; left = 1/2;
        //   unigram mass outside {0,2,3} = 1 - 16/25 = 9/25 -> alpha = 25/18, P(1|2) = 25/18 * 7/25 = 7/18.
        double[] expected2 = {1 / 6.0, 7 / 18.0, 1 / 6.0, 1 / 6.0, 1 / 18.0, 1 / 18.0};
        for (int w = 0; w < 6; w++) {
            assertThat(m.prob(NONE, 2, w)).as("P(%d|2)", w).isCloseTo(expected2[w], within(EXACT));
        }
        // Context 3 only ends a document: no bigram, plain unigram.
        assertThat(m.prob(NONE, 3, 1)).isCloseTo(7 / 25.0, within(EXACT));
    }

    @Test
    void handComputedTrigramContexts() {
        KatzTrigram m = toy(1, 1);
        // Context (1,0): followers 1:1, 2:2, N = 3. P(1|1,0) = (1/3)/3 = 1/9, P(2|1,0) = (1/2 * 2)/3 = 1/3.
        //   left = 1 - 1/9 - 1/3 = 5/9; bigram mass outside {1,2} = 1 - 1/14 - 3/28 = 23/28
        //   alpha(1,0) = (5/9) / (23/28) = 140/207
        //   P(0|1,0) = 140/207 * 4/7 = 80/207, P(3|1,0) = 140/207 * 1/8 = 35/414, P(4|1,0) = 35/828.
        double alpha = (5 / 9.0) / (23 / 28.0);
        double[] expected = {alpha * 4 / 7, 1 / 9.0, 1 / 3.0, alpha / 8, alpha / 16, alpha / 16};
        assertThat(expected[0]).isCloseTo(80 / 207.0, within(EXACT));
        for (int w = 0; w < 6; w++) {
            assertThat(m.prob(1, 0, w)).as("P(%d|1,0)", w).isCloseTo(expected[w], within(EXACT));
        }
        // Context (0,2): followers 0:1, N = 1 -> P(0|0,2) = 1/3, left = 2/3, bigram mass outside {0} = 5/6,
        //   alpha = 4/5: P(1|0,2) = 4/5 * 7/18 = 14/45, P(4|0,2) = 4/5 * 1/18 = 2/45.
        double[] expected02 = {1 / 3.0, 14 / 45.0, 4 / 5.0 / 6, 4 / 5.0 / 6, 2 / 45.0, 2 / 45.0};
        for (int w = 0; w < 6; w++) {
            assertThat(m.prob(0, 2, w)).as("P(%d|0,2)", w).isCloseTo(expected02[w], within(EXACT));
        }
        // Context (0,0): only follower 0, seen 3 > k times and not cut: no back-off mass at all (Katz).
        assertThat(m.prob(0, 0, 0)).isEqualTo(1.0);
        assertThat(m.prob(0, 0, 4)).isEqualTo(0.0);
        // Unseen (4,0) backs off to P(.|0) with weight 1; unseen (3,3) to the unigram.
        assertThat(m.prob(4, 0, 3)).isCloseTo(1 / 8.0, within(EXACT));
        assertThat(m.prob(3, 3, 0)).isCloseTo(9 / 25.0, within(EXACT));
    }

    @Test
    void handComputedWithCutoffs() {
        KatzTrigram m = toy(2, 2);
        // Discounts come from the count-of-counts before cut-offs: unchanged.
        assertThat(m.bigramDiscounts().discount(1)).isCloseTo(0.5, within(EXACT));
        assertThat(m.trigramDiscounts().discount(2)).isCloseTo(0.5, within(EXACT));
        // Bigrams kept (>= 2): 00:4 02:2 10:3 11:2; 01, 12, 20, 22, 23 dropped.
        assertThat(m.bigramEntries()).isEqualTo(4);
        // Context 0 keeps 0:4, 2:2, N(0) = 7 still: P(0|0) = 4/7, P(2|0) = 3/28, left = 9/28 (incl. the cut 0 1),
        //   unigram mass outside {0,2} = 11/25 -> alpha = 225/308, P(1|0) = 225/308 * 7/25 = 9/44.
        double a0 = (9 / 28.0) / (11 / 25.0);
        double[] p0 = {4 / 7.0, a0 * 7 / 25, 3 / 28.0, a0 * 2 / 25, a0 / 25, a0 / 25};
        assertThat(p0[1]).isCloseTo(9 / 44.0, within(EXACT));
        for (int w = 0; w < 6; w++) {
            assertThat(m.prob(NONE, 0, w)).as("P(%d|0)", w).isCloseTo(p0[w], within(EXACT));
        }
        // Context 2 lost all its bigrams: exactly the unigram.
        assertThat(m.prob(NONE, 2, 1)).isCloseTo(7 / 25.0, within(EXACT));
        // Trigrams kept (>= 2): 000:3 102:2 110:2. Context (1,0) keeps 2:2, N = 3: P(2|1,0) = 1/3, left = 2/3,
        //   bigram mass outside {2} = 1 - 3/28 = 25/28 -> alpha = 56/75, P(0|1,0) = 56/75 * 4/7 = 32/75.
        double a10 = (2 / 3.0) / (25 / 28.0);
        assertThat(m.prob(1, 0, 2)).isCloseTo(1 / 3.0, within(EXACT));
        assertThat(m.prob(1, 0, 0)).isCloseTo(32 / 75.0, within(EXACT));
        assertThat(m.prob(1, 0, 1)).isCloseTo(a10 * p0[1], within(EXACT));
        assertThat(m.prob(1, 0, 5)).isCloseTo(a10 * p0[5], within(EXACT));
        // Context (0,2) lost its only trigram: identical to P(.|2), here the unigram.
        for (int w = 0; w < 6; w++) {
            assertThat(m.prob(0, 2, w)).isEqualTo(m.prob(NONE, 2, w));
        }
        assertThat(m.trigramEntries()).isEqualTo(3);
        assertThat(m.trigramContexts()).isEqualTo(3);
    }

    @Test
    void cutoffsShrinkTheModelAndKeepOnlyFrequentNgrams() {
        List<int[]> docs = Corpora.markov(200, 300, 60, 5);
        TrigramCounts counts = Corpora.count(200, docs);
        KatzTrigram all = KatzTrigram.build(counts, new KatzConfig(5, 1, 1));
        KatzTrigram cut = KatzTrigram.build(counts, new KatzConfig(5, 3, 4));
        assertThat(all.trigramEntries()).isEqualTo(counts.distinctTrigrams());
        assertThat(all.bigramEntries()).isEqualTo(counts.distinctBigrams());
        assertThat(cut.trigramEntries()).isLessThan(all.trigramEntries() / 2);
        assertThat(cut.bigramEntries()).isLessThan(all.bigramEntries());
        KatzCounts kc = cut.counts();
        for (int i = 0; i < kc.trigrams().entries(); i++) {
            assertThat(kc.trigrams().counts()[i]).isGreaterThanOrEqualTo(4);
        }
        for (int i = 0; i < kc.bigrams().entries(); i++) {
            assertThat(kc.bigrams().counts()[i]).isGreaterThanOrEqualTo(3);
        }
        // Every kept trigram is exactly the counted ones with count >= 4.
        int expectedKept = 0;
        for (int a = 0; a < 200; a++) {
            for (int b = 0; b < 200; b++) {
                for (int c = 0; c < 200; c++) {
                    if (counts.trigramCount(a, b, c) >= 4) {
                        expectedKept++;
                    }
                }
            }
        }
        assertThat(cut.trigramEntries()).isEqualTo(expectedKept);
        assertSumsToOne(cut, 200, new SplittableRandom(1), 300);
    }

    // -----------------------------------------------------------------------------------------------------------
    // Normalisation

    @Test
    void everyContextSumsToOneOverTheWholeVocabulary() {
        int v = 60;
        TrigramCounts counts = Corpora.count(v, Corpora.markov(v, 200, 50, 3));
        for (KatzConfig cfg : List.of(new KatzConfig(5, 1, 1), new KatzConfig(5, 1, 2), new KatzConfig(5, 2, 3),
                new KatzConfig(0, 1, 2), new KatzConfig(2, 4, 1), new KatzConfig(7, 1, 1))) {
            KatzTrigram m = KatzTrigram.build(counts, cfg);
            double[] p = new double[v];
            int seen = 0;
            int partly = 0;
            int unseen = 0;
            for (int t1 = NONE; t1 < v; t1++) {
                for (int t2 = 0; t2 < v; t2++) {
                    double s = sum(m, t1, t2, p);
                    assertThat(s).as("%s context (%d,%d)", cfg, t1, t2).isCloseTo(1.0, within(SUM_TOLERANCE));
                    if (t1 == NONE) {
                        continue;
                    }
                    if (hasTrigramContext(m, t1, t2)) {
                        seen++;          // kept trigram followers, the rest backed off
                    } else if (hasBigramContext(m, t2)) {
                        partly++;        // (t1, t2) unseen, t2 seen: bigram back-off
                    } else {
                        unseen++;        // down to the unigram
                    }
                }
            }
            assertThat(sum(m, NONE, NONE, p)).isCloseTo(1.0, within(SUM_TOLERANCE));
            assertThat(seen).as("seen contexts").isPositive();
            assertThat(partly).as("contexts seen only as a bigram").isPositive();
            assertThat(unseen).as("unseen contexts").isPositive();
        }
    }

    @Test
    void sumsToOneWithGpt2SizedVocabulary() {
        int v = 50257;
        SplittableRandom rnd = new SplittableRandom(9);
        List<int[]> docs = Corpora.markov(3000, 200, 400, 4);
        // Spread the small synthetic vocabulary over GPT-2's id range, <|endoftext|> included.
        for (int[] d : docs) {
            for (int i = 0; i < d.length; i++) {
                d[i] = d[i] == 7 ? 50256 : (int) ((d[i] * 16L + 3) % 50256);
            }
        }
        KatzTrigram m = KatzTrigram.build(Corpora.count(v, docs), KatzConfig.DEFAULT);
        assertSumsToOne(m, v, rnd, 60);
        // And the contexts of the data itself.
        double[] p = new double[v];
        for (int i = 0; i < 40; i++) {
            int[] d = docs.get(i);
            int j = 2 + rnd.nextInt(d.length - 2);
            assertThat(sum(m, d[j - 2], d[j - 1], p)).isCloseTo(1.0, within(SUM_TOLERANCE));
        }
    }

    @Test
    void contextCoveringTheWholeVocabularyIsRenormalised() {
        // V = 3, a long 0/1 document plus a few short ones that use 2: every bigram is seen, so bigram contexts
        // have no token left to back off to; context 2's followers 0, 1, 2 are each seen twice (discounted), so
        // it has back-off mass with nowhere to go and must be renormalised.
        SplittableRandom rnd = new SplittableRandom(2);
        int[] doc = new int[3000];
        for (int i = 0; i < doc.length; i++) {
            doc[i] = rnd.nextInt(2);
        }
        TrigramCounts counts = new TrigramCounts(3);
        counts.addSequence(doc);
        for (int[] d : List.of(new int[] {2, 2, 0}, new int[] {2, 1, 1}, new int[] {0, 2, 2, 1}, new int[] {2, 0},
                new int[] {1, 2})) {
            counts.addSequence(d);
        }
        KatzTrigram m = KatzTrigram.build(counts, new KatzConfig(5, 1, 1));
        assertThat(m.bigramEntries()).isEqualTo(9);
        assertThat(m.bigramDiscounts().discount(2)).isLessThan(1.0);
        // Renormalised: all three followers of 2 have count 2, so each gets exactly 1/3.
        for (int w = 0; w < 3; w++) {
            assertThat(m.prob(NONE, 2, w)).isCloseTo(1 / 3.0, within(EXACT));
        }
        double[] p = new double[3];
        for (int t1 = NONE; t1 < 3; t1++) {
            for (int t2 = 0; t2 < 3; t2++) {
                assertThat(sum(m, t1, t2, p)).as("(%d,%d)", t1, t2).isCloseTo(1.0, within(1e-12));
                if (t1 == NONE) {   // (trigram contexts whose followers all exceed k keep no back-off mass)
                    for (int w = 0; w < 3; w++) {
                        assertThat(p[w]).isPositive();
                    }
                }
            }
        }
    }

    @Test
    void dominantFollowerKeepsTinyBackoffMassAccurate() {
        // Bigram 5 -> 6 almost always: the bigram mass left after a trigram context that keeps 6 is tiny, which
        // is where 1 - sum would lose digits.
        int v = 40;
        TrigramCounts counts = new TrigramCounts(v);
        SplittableRandom rnd = new SplittableRandom(4);
        for (int d = 0; d < 2000; d++) {
            int[] doc = new int[40];
            for (int i = 0; i < doc.length; i++) {
                doc[i] = i > 0 && doc[i - 1] == 5 && rnd.nextInt(100000) != 0 ? 6 : rnd.nextInt(v - 2);
            }
            counts.addSequence(doc);
        }
        KatzTrigram m = KatzTrigram.build(counts, new KatzConfig(5, 1, 1));
        assertThat(m.prob(NONE, 5, 6)).isGreaterThan(0.9999);
        double[] p = new double[v];
        for (int t1 = 0; t1 < v; t1++) {
            assertThat(sum(m, t1, 5, p)).isCloseTo(1.0, within(1e-12));
        }
    }

    @Test
    void tinyBackoffDenominatorIsSummedExactly() {
        // Built from counts directly: bigram 5 -> 6 seen 2e9 times, 5 -> 7 once; trigram (1,5) -> 6 kept 1000
        // times out of 2000 (the rest cut off). The bigram mass left for (1,5) is ~5e-10, so computing it as
        // "kept mass - trigram-kept mass" would carry a ~1e-7 relative error into alpha(1,5) and the sum.
        int v = 10;
        long big = 2_000_000_000L;
        long[] uni = new long[v];
        uni[1] = 2000;
        uni[5] = big + 1;
        uni[6] = big;
        uni[7] = 1;
        long n = Arrays.stream(uni).sum();
        long[] coc = {0, 10, 5, 3, 2, 1, 1};   // valid Good-Turing discounts for k = 5
        LevelCounts bigrams = new LevelCounts(new long[] {5}, new long[] {big + 1}, new int[] {0, 2},
                new int[] {6, 7}, new int[] {(int) big, 1});
        LevelCounts trigrams = new LevelCounts(new long[] {NgramKeys.bigram(1, 5)}, new long[] {2000},
                new int[] {0, 1}, new int[] {6}, new int[] {1000});
        KatzTrigram m = KatzTrigram.fromCounts(new KatzCounts(v, new KatzConfig(5, 1, 1), n, uni, coc, coc,
                bigrams, trigrams));
        double[] p = new double[v];
        assertThat(sum(m, NONE, 5, p)).isCloseTo(1.0, within(1e-12));
        assertThat(sum(m, 1, 5, p)).isCloseTo(1.0, within(1e-12));
        assertThat(m.prob(1, 5, 6)).isEqualTo(0.5);
    }

    // -----------------------------------------------------------------------------------------------------------
    // Query API consistency

    @Test
    void probabilityAndDistributionsAgreeBitForBit() {
        int v = 80;
        KatzTrigram m = KatzTrigram.build(Corpora.count(v, Corpora.markov(v, 150, 40, 8)), KatzConfig.DEFAULT);
        double[] p = new double[v];
        float[] f = new float[v + 5];
        for (int t1 = NONE; t1 < v; t1 += 3) {
            for (int t2 = 0; t2 < v; t2 += 2) {
                m.distribution(t1, t2, p);
                m.distribution(t1, t2, f);
                for (int w = 0; w < v; w++) {
                    assertThat(m.prob(t1, t2, w)).isEqualTo(p[w]);
                    assertThat(f[w]).isEqualTo((float) p[w]);
                }
            }
        }
        m.distribution(NONE, NONE, p);
        assertThat(m.prob(NONE, NONE, 3)).isEqualTo(p[3]);
        // History arrays use their last two tokens.
        assertThat(m.prob(new int[] {9, 9, 4, 5}, 6)).isEqualTo(m.prob(4, 5, 6));
        assertThat(m.prob(new int[] {5}, 6)).isEqualTo(m.prob(NONE, 5, 6));
        assertThat(m.prob(new int[0], 6)).isEqualTo(m.prob(NONE, NONE, 6));
        assertThat(m.topM(new int[] {1, 4, 5}, 8)).isEqualTo(m.topM(4, 5, 8));
    }

    @Test
    void topMIsThePrefixOfTheSortedDistribution() {
        int v = 120;
        TrigramCounts counts = Corpora.count(v, Corpora.markov(v, 200, 40, 12));
        SplittableRandom rnd = new SplittableRandom(3);
        for (KatzConfig cfg : List.of(new KatzConfig(5, 1, 1), new KatzConfig(5, 2, 3), new KatzConfig(0, 1, 1))) {
            KatzTrigram m = KatzTrigram.build(counts, cfg);
            double[] p = new double[v];
            for (int trial = 0; trial < 400; trial++) {
                int t2 = trial % 7 == 0 ? NONE : rnd.nextInt(v);
                int t1 = t2 == NONE || trial % 5 == 0 ? NONE : rnd.nextInt(v);
                if (trial % 3 == 0) {   // a seen trigram context
                    long[] keys = m.counts().trigrams().contextKeys();
                    long key = keys[rnd.nextInt(keys.length)];
                    t1 = NgramKeys.first(key);
                    t2 = NgramKeys.last(key);
                }
                m.distribution(t1, t2, p);
                int[] order = sortedOrder(p);
                for (int mm : new int[] {1, 2, 8, 17, v, 300}) {
                    TopCandidates top = m.topM(t1, t2, mm);
                    int n = Math.min(mm, v);
                    assertThat(top.size()).isEqualTo(n);
                    for (int i = 0; i < n; i++) {
                        assertThat(top.token(i)).as("%s (%d,%d) m=%d rank %d", cfg, t1, t2, mm, i)
                                .isEqualTo(order[i]);
                        assertThat(top.prob(i)).isEqualTo(p[order[i]]);
                    }
                }
            }
        }
    }

    @Test
    void largeMSortsTheFullDistribution() {
        int v = 700;
        KatzTrigram m = KatzTrigram.build(Corpora.count(v, Corpora.markov(v, 100, 40, 13)), KatzConfig.DEFAULT);
        double[] p = new double[v];
        long key = m.counts().trigrams().contextKeys()[0];
        int[][] contexts = {{NgramKeys.first(key), NgramKeys.last(key)}, {NONE, 3}, {NONE, NONE}, {5, 6}};
        for (int[] ctx : contexts) {
            m.distribution(ctx[0], ctx[1], p);
            int[] order = sortedOrder(p);
            for (int mm : new int[] {257, 600, v}) {
                TopCandidates top = m.topM(ctx[0], ctx[1], mm);
                assertThat(top.tokens()).containsExactly(Arrays.copyOf(order, mm));
                for (int i = 0; i < mm; i++) {
                    assertThat(top.prob(i)).isEqualTo(p[order[i]]);
                }
            }
        }
    }

    @Test
    void topMBreaksTiesByTokenIdAndHandlesZeroBackoff() {
        KatzTrigram m = toy(1, 1);
        // (0,0): P(0) = 1, every other token 0 -> the zeros come by ascending id.
        TopCandidates top = m.topM(0, 0, 4);
        assertThat(top.tokens()).containsExactly(0, 1, 2, 3);
        assertThat(top.probs()).containsExactly(1.0, 0.0, 0.0, 0.0);
        // Context 2: P(0) = P(2) = P(3) = 1/6 tie below P(1) = 7/18; then 4 and 5 tie at 1/18.
        TopCandidates top2 = m.topM(NONE, 2, 6);
        assertThat(top2.tokens()).containsExactly(1, 0, 2, 3, 4, 5);
        // Unigram: 0 1 2 3, then 4 and 5 tie.
        assertThat(m.topM(NONE, NONE, 6).tokens()).containsExactly(0, 1, 2, 3, 4, 5);
        // Uniform model: no data at all, every context is uniform, top-m = the m smallest ids.
        KatzTrigram empty = KatzTrigram.build(new TrigramCounts(50), KatzConfig.DEFAULT);
        assertThat(empty.topM(3, 4, 5).tokens()).containsExactly(0, 1, 2, 3, 4);
        assertThat(empty.topM(3, 4, 5).probs()).containsOnly(1 / 50.0);
    }

    @Test
    void allocationFreeTopMWritesIntoCallerArrays() {
        KatzTrigram m = toy(1, 1);
        int[] tok = new int[10];
        double[] pr = new double[10];
        Arrays.fill(tok, -7);
        int n = m.topM(1, 0, 3, tok, pr);
        assertThat(n).isEqualTo(3);
        assertThat(Arrays.copyOf(tok, 3)).containsExactly(0, 2, 1);   // 80/207, 1/3, 1/9
        assertThat(tok[3]).isEqualTo(-7);
        assertThat(m.topM(1, 0, 50, tok, pr)).as("clamped to V").isEqualTo(6);
        assertThat(m.topM(1, 0, 0).size()).isZero();
    }

    @Test
    void rejectsBadArguments() {
        KatzTrigram m = toy(1, 1);
        assertThat(m.vocabSize()).isEqualTo(6);
        assertThatThrownBy(() -> m.prob(0, 6, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.prob(0, 1, -2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.prob(2, NONE, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.topM(0, 1, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.topM(0, 1, 4, new int[3], new double[4]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.distribution(0, 1, new double[5])).isInstanceOf(IllegalArgumentException.class);
    }

    // -----------------------------------------------------------------------------------------------------------

    static boolean hasTrigramContext(KatzTrigram m, int t1, int t2) {
        boolean stored = Arrays.binarySearch(m.counts().trigrams().contextKeys(), NgramKeys.bigram(t1, t2)) >= 0;
        assertThat(m.hasTrigramContext(t1, t2)).isEqualTo(stored);
        return stored;
    }

    static boolean hasBigramContext(KatzTrigram m, int t) {
        boolean stored = Arrays.binarySearch(m.counts().bigrams().contextKeys(), t) >= 0;
        assertThat(m.hasBigramContext(t)).isEqualTo(stored);
        return stored;
    }

    /** Sum of the full distribution; NaN if any entry is negative or not finite. */
    static double sum(KatzTrigram m, int t1, int t2, double[] p) {
        m.distribution(t1, t2, p);
        double s = 0;
        for (double x : p) {
            if (!(x >= 0.0) || !Double.isFinite(x)) {
                return Double.NaN;
            }
            s += x;
        }
        return s;
    }

    static void assertSumsToOne(KatzTrigram m, int v, SplittableRandom rnd, int contexts) {
        double[] p = new double[v];
        assertThat(sum(m, NONE, NONE, p)).isCloseTo(1.0, within(SUM_TOLERANCE));
        long[] keys = m.counts().trigrams().contextKeys();
        for (int i = 0; i < contexts; i++) {
            // Seen trigram contexts, bigram-only contexts and random (mostly unseen) ones.
            long key = keys[rnd.nextInt(keys.length)];
            assertThat(sum(m, NgramKeys.first(key), NgramKeys.last(key), p)).isCloseTo(1.0, within(SUM_TOLERANCE));
            int t2 = rnd.nextInt(v);
            assertThat(sum(m, NONE, t2, p)).isCloseTo(1.0, within(SUM_TOLERANCE));
            assertThat(sum(m, rnd.nextInt(v), t2, p)).isCloseTo(1.0, within(SUM_TOLERANCE));
        }
    }

    /** Token ids sorted by (probability desc, id asc). */
    static int[] sortedOrder(double[] p) {
        Integer[] idx = new Integer[p.length];
        for (int i = 0; i < p.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> {
            int c = Double.compare(p[b], p[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
    }
}

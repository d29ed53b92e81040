package ssd.decoder.ngram;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrigramCountsTest {

    @Test
    void countsStayInsideDocuments() {
        TrigramCounts c = new TrigramCounts(10);
        c.addSequence(new int[] {1, 2, 3});
        c.addSequence(new int[] {4, 5});
        c.addSequence(new int[] {9, 1, 2, 3, 0, 0}, 1, 4);   // counts 1 2 3 only
        assertThat(c.totalTokens()).isEqualTo(8);
        assertThat(c.unigramCount(1)).isEqualTo(2);
        assertThat(c.unigramCount(9)).isZero();
        assertThat(c.bigramCount(1, 2)).isEqualTo(2);
        assertThat(c.bigramCount(3, 4)).as("no bigram across documents").isZero();
        assertThat(c.trigramCount(1, 2, 3)).isEqualTo(2);
        assertThat(c.trigramCount(2, 3, 4)).as("no trigram across documents").isZero();
        assertThat(c.trigramCount(3, 4, 5)).isZero();
        assertThat(c.distinctBigrams()).isEqualTo(3);
        assertThat(c.distinctTrigrams()).isEqualTo(1);
    }

    @Test
    void endOfTextIsAnOrdinaryToken() {
        int eot = 50256;
        TrigramCounts c = new TrigramCounts(50257);
        c.addSequence(new int[] {10, eot, 11, eot, 10, eot, 11});
        assertThat(c.unigramCount(eot)).isEqualTo(3);
        assertThat(c.bigramCount(10, eot)).isEqualTo(2);
        assertThat(c.trigramCount(10, eot, 11)).isEqualTo(2);
        assertThat(c.trigramCount(eot, 11, eot)).isEqualTo(1);
    }

    @Test
    void rejectsOutOfVocabularyTokensWithoutCountingAnything() {
        TrigramCounts c = new TrigramCounts(5);
        assertThatThrownBy(() -> c.addSequence(new int[] {1, 2, 5}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token 5 at index 2");
        assertThatThrownBy(() -> c.addSequence(new int[] {-1})).isInstanceOf(IllegalArgumentException.class);
        assertThat(c.totalTokens()).isZero();
        assertThat(c.unigramCount(1)).isZero();
        assertThat(c.distinctBigrams()).isZero();
        assertThatThrownBy(() -> new TrigramCounts(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TrigramCounts((1 << 21) + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void largestVocabularyPacksWithoutCollisions() {
        int v = 1 << 21;
        TrigramCounts c = new TrigramCounts(v);
        c.addSequence(new int[] {v - 1, v - 1, v - 1, 0, v - 1, v - 1});
        assertThat(c.trigramCount(v - 1, v - 1, v - 1)).isEqualTo(1);
        assertThat(c.trigramCount(v - 1, v - 1, 0)).isEqualTo(1);
        assertThat(c.trigramCount(0, v - 1, v - 1)).isEqualTo(1);
        assertThat(c.bigramCount(v - 1, v - 1)).isEqualTo(3);
        assertThat(c.bigramCount(v - 1, 0)).isEqualTo(1);
        assertThat(c.bigramCount(0, v - 1)).isEqualTo(1);
    }

    @Test
    void mergedAndParallelCountsEqualSequentialCounts() {
        List<int[]> docs = Corpora.markov(40, 400, 30, 11);
        TrigramCounts seq = Corpora.count(40, docs);

        TrigramCounts a = Corpora.count(40, docs.subList(0, 50));
        TrigramCounts b = Corpora.count(40, docs.subList(50, docs.size()));
        TrigramCounts merged = a.merge(b);   // small into big
        TrigramCounts par = docs.parallelStream().collect(TrigramCounts.collector(40));

        for (TrigramCounts c : List.of(merged, par)) {
            assertThat(c.totalTokens()).isEqualTo(seq.totalTokens());
            assertThat(c.distinctBigrams()).isEqualTo(seq.distinctBigrams());
            assertThat(c.distinctTrigrams()).isEqualTo(seq.distinctTrigrams());
            for (int x = 0; x < 40; x++) {
                assertThat(c.unigramCount(x)).isEqualTo(seq.unigramCount(x));
                for (int y = 0; y < 40; y++) {
                    assertThat(c.bigramCount(x, y)).isEqualTo(seq.bigramCount(x, y));
                    for (int z = 0; z < 40; z += 3) {
                        assertThat(c.trigramCount(x, y, z)).isEqualTo(seq.trigramCount(x, y, z));
                    }
                }
            }
            // The estimated models agree too.
            KatzTrigram m1 = KatzTrigram.build(c, KatzConfig.DEFAULT);
            KatzTrigram m2 = KatzTrigram.build(seq, KatzConfig.DEFAULT);
            assertThat(m1.topM(3, 4, 8)).isEqualTo(m2.topM(3, 4, 8));
        }
        assertThatThrownBy(() -> seq.merge(new TrigramCounts(41))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> seq.merge(seq)).isInstanceOf(IllegalArgumentException.class);
    }
}

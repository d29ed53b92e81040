package ssd.datasets.corpus;

import org.junit.jupiter.api.Test;
import ssd.datasets.testing.PySamples;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class NearDuplicatesTest {
    private static final double T = FilterSettings.DEFAULTS.nearDuplicateJaccard();

    @Test
    void catchesANearCopyWithAFewLinesChanged() {
        String original = PySamples.module(10, 30);
        String vendored = PySamples.withLinesChanged(original, 12, 40, 77);
        assertThat(vendored).isNotEqualTo(original);
        boolean[] dup = NearDuplicates.find(List.of(MinHash.signature(original), MinHash.signature(vendored)), T);
        assertThat(dup).containsExactly(false, true);
    }

    @Test
    void keepsDistinctFilesOfTheSameStyle() {
        List<int[]> sigs = List.of(MinHash.signature(PySamples.module(20, 30)), MinHash.signature(PySamples.module(21, 30)),
                MinHash.signature(PySamples.module(22, 30)));
        assertThat(NearDuplicates.find(sigs, T)).containsExactly(false, false, false);
    }

    @Test
    void keepsAHeavilyEditedFile() {
        String original = PySamples.module(30, 10);
        int[] lines = java.util.stream.IntStream.range(0, original.split("\n").length).filter(i -> i % 3 == 1).toArray();
        String rewritten = PySamples.withLinesChanged(original, lines);
        assertThat(NearDuplicates.find(List.of(MinHash.signature(original), MinHash.signature(rewritten)), T))
                .containsExactly(false, false);
    }

    @Test
    void groupsChainsAndKeepsTheFirstOfEachGroup() {
        String a = PySamples.module(40, 30);
        List<int[]> sigs = List.of(MinHash.signature(PySamples.module(41, 30)), MinHash.signature(a),
                MinHash.signature(PySamples.withLinesChanged(a, 5)), MinHash.signature(PySamples.withLinesChanged(a, 90)));
        assertThat(NearDuplicates.find(sigs, T)).containsExactly(false, false, true, true);
    }

    @Test
    void similarityEstimatesJaccard() {
        // Word sequences with a known share of common 5-shingles.
        StringBuilder x = new StringBuilder(), y = new StringBuilder();
        for (int i = 0; i < 604; i++) x.append("w").append(i).append(' ');
        for (int i = 200; i < 804; i++) y.append("w").append(i).append(' ');
        // x has shingles 0..599, y 200..799: 400 shared of 800 -> J = 0.5
        assertThat(MinHash.similarity(MinHash.signature(x), MinHash.signature(y))).isCloseTo(0.5, within(0.15));
        assertThat(MinHash.similarity(MinHash.signature(x), MinHash.signature(x.toString()))).isEqualTo(1.0);
    }
}

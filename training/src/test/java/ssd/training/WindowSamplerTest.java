package ssd.training;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ssd.datasets.shards.TokenShards;
import ssd.datasets.shards.TokenSplit;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WindowSamplerTest {
    @TempDir
    static Path dir;
    static TokenShards corpus;

    @BeforeAll
    static void corpus() throws Exception {
        corpus = TokenShards.open(TinyCorpus.write(dir.resolve("c"), 5_000, 500));
    }

    @Test
    void windowsDependOnlyOnSeedStepAndMicroBatch() {
        TokenSplit train = corpus.split("train");
        WindowSampler a = new WindowSampler(train, 16, 7, 64), b = new WindowSampler(train, 16, 7, 64);
        assertThat(a.batch(5, 1, 4)).containsExactly(b.batch(5, 1, 4));
        // Asking in another order gives the same windows: no hidden generator state.
        b.batch(9, 0, 4);
        assertThat(a.batch(5, 1, 4)).containsExactly(b.batch(5, 1, 4));
        assertThat(a.batch(5, 1, 4)).isNotEqualTo(a.batch(6, 1, 4));
        assertThat(a.batch(5, 1, 4)).isNotEqualTo(a.batch(5, 0, 4));
        assertThat(a.batch(5, 1, 4)).isNotEqualTo(new WindowSampler(train, 16, 8, 64).batch(5, 1, 4));
        assertThat(a.batch(0, 0, 3)).hasSize(3 * 17);
    }

    @Test
    void windowsAreContiguousStretchesOfTheSplit() {
        TokenSplit train = corpus.split("train");
        long[] w = new WindowSampler(train, 16, 3, 64).batch(0, 0, 1);
        int[] all = new int[(int) train.tokens()];
        train.read(0, all, 0, all.length);
        boolean found = false;
        for (int s = 0; s + 17 <= all.length && !found; s++) {
            boolean match = true;
            for (int i = 0; i < 17 && match; i++) match = all[s + i] == w[i];
            found = match;
        }
        assertThat(found).isTrue();
    }

    @Test
    void validationSetIsTheFirstWindowsOfTheValSplit() {
        ValidationSet v = ValidationSet.first(corpus.split("val"), 16, 64, 64);
        assertThat(v.windows()).isEqualTo(4);
        assertThat(v.predictedTokens()).isEqualTo(64);
        int[] first = new int[17];
        corpus.split("val").read(0, first, 0, 17);
        for (int i = 0; i < 17; i++) assertThat(v.ids()[i]).isEqualTo(first[i]);
        // Capped by what the split holds: 500 tokens make 29 windows of 17.
        assertThat(ValidationSet.first(corpus.split("val"), 16, 1_000_000, 64).windows()).isEqualTo(29);
    }

    @Test
    void tooShortASplitIsReported() {
        assertThatThrownBy(() -> new WindowSampler(corpus.split("val"), 1000, 1, 64)).hasMessageContaining("fewer than one window of 1001");
    }
}

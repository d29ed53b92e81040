package ssd.decoder.forward;

import ssd.decoder.cache.KVCache;
import ssd.decoder.model.ContextOverflowException;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.model.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KVCacheDecodeTest {
    static GPT2Model model;
    static Forward eager;

    @BeforeAll
    static void load() {
        model = TestModels.random(TestModels.TINY, 11, 0.2);
        eager = TestModels.eager(model);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void incrementalDecodeMatchesFullForwardForSixtySteps() {
        SplittableRandom rng = new SplittableRandom(3);
        int[] seq = new int[66];
        for (int i = 0; i < seq.length; i++) seq[i] = rng.nextInt(TestModels.TINY.vocabSize());
        try (KVCache cache = eager.newCache(8)) {
            int prompt = 6;
            try (Logits l = eager.run(cache, Arrays.copyOf(seq, prompt), GPT2Model.chain(prompt, -1))) {
                cache.commit(new int[]{0, 1, 2, 3, 4, 5});
                assertThat(TestModels.maxAbsDiff(l.row(prompt - 1), TestModels.referenceLastLogits(model, Arrays.copyOf(seq, prompt))))
                        .isLessThan(1e-4f);
                // every prefill row is the causal logits of its prefix
                assertThat(TestModels.maxAbsDiff(l.row(2), TestModels.referenceLastLogits(model, Arrays.copyOf(seq, 3)))).isLessThan(1e-4f);
            }
            for (int step = prompt; step < seq.length; step++) {
                try (Logits l = eager.run(cache, new int[]{seq[step]}, new int[]{-1})) {
                    cache.commit(new int[]{0});
                    float diff = TestModels.maxAbsDiff(l.row(0), TestModels.referenceLastLogits(model, Arrays.copyOf(seq, step + 1)));
                    assertThat(diff).as("step %d", step).isLessThan(1e-4f);
                }
            }
            assertThat(cache.length()).isEqualTo(seq.length);
        }
    }

    @Test
    void refusesTokensBeyondTheContext() {
        GPT2Config small = GPT2Config.of(50, 8, 32, 1, 2);
        try (GPT2Model m = TestModels.random(small, 1, 0.2); Forward f = TestModels.eager(m); KVCache cache = f.newCache(4)) {
            f.run(cache, new int[8], GPT2Model.chain(8, -1)).close();
            cache.commit(new int[]{0, 1, 2, 3, 4, 5, 6, 7});
            assertThatThrownBy(() -> f.run(cache, new int[]{1}, new int[]{-1}))
                    .isInstanceOf(ContextOverflowException.class).hasMessageContaining("context of 8");
            assertThat(cache.pendingCount()).isZero();
        }
    }

    @Test
    void refusesTokenIdsOutsideTheVocabulary() {
        try (KVCache cache = eager.newCache(4)) {
            assertThatThrownBy(() -> eager.run(cache, new int[]{97}, new int[]{-1}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token id 97");
        }
    }
}

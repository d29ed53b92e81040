package ssd.decoder.model;

import ssd.decoder.torch.Torch;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchCacheTest {
    @Test
    void batchedDecodeMatchesEachSequencesFullForward() {
        try (GPT2Model model = TestModels.random(TestModels.TINY, 8, 0.2); BatchCache cache = model.newBatchCache(3, 40)) {
            SplittableRandom rng = new SplittableRandom(1);
            int[][] seqs = new int[3][20];
            for (int[] s : seqs) for (int i = 0; i < s.length; i++) s[i] = rng.nextInt(TestModels.TINY.vocabSize());
            for (int len = 5; len <= 20; len++) {
                long[] ids;
                int n = len == 5 ? 5 : 1;
                ids = new long[3 * n];
                for (int b = 0; b < 3; b++) for (int j = 0; j < n; j++) ids[b * n + j] = seqs[b][len - n + j];
                try (PointerScope scope = new PointerScope()) {
                    Tensor logits = model.forwardBatch(cache, Torch.longs(ids, model.device()).view(3, n));
                    float[] all = Torch.toFloats(logits);
                    logits.close();
                    int v = TestModels.TINY.vocabSize();
                    for (int b = 0; b < 3; b++) {
                        float[] row = Arrays.copyOfRange(all, b * v, (b + 1) * v);
                        float[] ref = TestModels.referenceLastLogits(model, Arrays.copyOf(seqs[b], len));
                        assertThat(TestModels.maxAbsDiff(row, ref)).as("sequence %d length %d", b, len).isLessThan(1e-4f);
                    }
                }
            }
            assertThat(cache.length()).isEqualTo(20);
        }
    }

    @Test
    void refusesMultiTokenStepsAfterThePrefillAndOverflow() {
        try (GPT2Model model = TestModels.random(TestModels.TINY, 8, 0.2); BatchCache cache = model.newBatchCache(2, 4)) {
            model.forwardBatch(cache, Torch.longs(new long[]{1, 2, 3, 4}, model.device()).view(2, 2)).close();
            assertThatThrownBy(() -> model.forwardBatch(cache, Torch.longs(new long[]{1, 2, 3, 4}, model.device()).view(2, 2)))
                    .hasMessageContaining("one token per sequence");
            model.forwardBatch(cache, Torch.longs(new long[]{1, 2}, model.device()).view(2, 1)).close();
            model.forwardBatch(cache, Torch.longs(new long[]{1, 2}, model.device()).view(2, 1)).close();
            assertThatThrownBy(() -> model.forwardBatch(cache, Torch.longs(new long[]{1, 2}, model.device()).view(2, 1)))
                    .isInstanceOf(ContextOverflowException.class);
        }
    }
}

package ssd.decoder.decoding;

import org.junit.jupiter.api.Test;
import ssd.decoder.cache.KVCache;
import ssd.decoder.forward.Forward;
import ssd.decoder.forward.Logits;
import ssd.decoder.forward.ReadoutRows;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.model.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The draft's probabilities as tree building reads them: each row's top tokens, best first, and zero elsewhere. */
class DraftScoresTest {
    @Test
    void topTokensCarryTheirProbabilityUnderTheShapingDistributionAndOthersZero() {
        GPT2Config config = GPT2Config.of(97, 64, 32, 2, 2);
        try (GPT2Model model = TestModels.random(config, 5, 0.5); Forward forward = TestModels.eager(model);
             KVCache cache = forward.newCache(8);
             Logits logits = forward.run(cache, new int[]{3, 14, 15, 92}, GPT2Model.chain(4, -1))) {
            for (SamplingConfig sampling : new SamplingConfig[]{SamplingConfig.greedy(), SamplingConfig.topK(20, 0.7, 1)}) {
                DraftScores scores = DraftScores.of(ReadoutRows.of(logits, DraftScores.readout(sampling, 8)));
                assertThat(scores.width()).isEqualTo(8);
                for (int row = 0; row < 4; row++) {
                    // Greedy trees are shaped by the plain softmax, sampled ones by the sampling distribution.
                    double[] expected = sampling.isGreedy() ? TargetDistributionTest.hostReference(logits.row(row), SamplingConfig.topK(0, 1.0, 0))
                            : TargetDistributionTest.hostReference(logits.row(row), sampling);
                    java.util.Set<Integer> top = new java.util.HashSet<>();
                    for (int j = 0; j < scores.width(); j++) {
                        int token = scores.token(row, j);
                        top.add(token);
                        assertThat(scores.probAt(row, j)).as("row %d rank %d", row, j).isCloseTo(expected[token], within(1e-6));
                        if (j > 0) assertThat(scores.probAt(row, j)).isLessThanOrEqualTo(scores.probAt(row, j - 1));
                    }
                    for (int token = 0; token < config.vocabSize(); token++) {
                        double want = top.contains(token) ? expected[token] : 0;
                        assertThat(scores.prob(row, token)).as("row %d token %d", row, token).isCloseTo(want, within(1e-6));
                    }
                    // Nothing outside the top 8 beats anything inside it.
                    double weakest = scores.probAt(row, scores.width() - 1);
                    for (int token = 0; token < config.vocabSize(); token++) if (!top.contains(token)) assertThat(expected[token]).isLessThanOrEqualTo(weakest + 1e-7);
                }
            }
        }
    }
}

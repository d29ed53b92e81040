package ssd.decoder.decoding;

import org.junit.jupiter.api.Test;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.model.KVCache;
import ssd.decoder.model.Logits;
import ssd.decoder.model.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The draft's probabilities as tree building reads them: top-m, pairs asked for up front, and any other token. */
class DraftScoresTest {
    @Test
    void everyLookupAgreesWithTheSamplingDistributionOfItsRow() {
        GPT2Config config = GPT2Config.of(97, 64, 32, 2, 2);
        try (GPT2Model model = TestModels.random(config, 5, 0.5);
             KVCache cache = model.newCache(8);
             Logits logits = model.forward(cache, new int[]{3, 14, 15, 92}, GPT2Model.chain(4, -1))) {
            for (SamplingConfig sampling : new SamplingConfig[]{SamplingConfig.greedy(), SamplingConfig.topK(20, 0.7, 1)}) {
                Sampler sampler = new Sampler(sampling);
                int[] askRows = {0, 1, 3, 3};
                int[] askTokens = {96, 0, 50, 7};
                try (DraftScores scores = new DraftScores(logits, 4, sampling, askRows, askTokens)) {
                    for (int row = 0; row < 4; row++) {
                        // Greedy trees are shaped by the plain softmax, sampled ones by the sampling distribution.
                        double[] expected = sampling.isGreedy() ? new Sampler(SamplingConfig.topK(0, 1.0, 0)).distribution(logits.row(row))
                                : sampler.distribution(logits.row(row));
                        for (int token = 0; token < config.vocabSize(); token++) {
                            assertThat(scores.prob(row, token)).as("row %d token %d", row, token).isCloseTo(expected[token], within(1e-6));
                        }
                        int[] top = scores.topTokens(row);
                        for (int j = 1; j < top.length; j++) assertThat(expected[top[j - 1]]).isGreaterThanOrEqualTo(expected[top[j]]);
                    }
                }
            }
        }
    }
}

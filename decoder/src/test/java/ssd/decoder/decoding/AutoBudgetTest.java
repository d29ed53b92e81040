package ssd.decoder.decoding;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ssd.decoder.forward.Forward;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.model.TestModels;

import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An auto tree budget follows the costs it is given: where an oracle batch costs the same at any size and a draft level
 * next to nothing, it sends large trees; where the oracle's cost grows with the batch and draft levels are dear, small
 * ones. Greedy outputs stay the baseline's either way.
 */
class AutoBudgetTest {
    static final GPT2Config CONFIG = GPT2Config.of(64, 128, 64, 2, 4);
    static GPT2Model oracle, draft;

    @BeforeAll
    static void load() {
        oracle = TestModels.random(CONFIG, 21, 0.3);
        draft = TestModels.noisyCopy(oracle, 0.02, 101);
    }

    @AfterAll
    static void close() {
        oracle.close();
        draft.close();
    }

    static double meanTreeSize(RoundCosts costs, int[] prompt, int[] baselineTokens) {
        Forward o = TestModels.eager(oracle), d = TestModels.eager(draft);
        TreeProposer proposer = new TreeProposer(d, null, StagedConfig.auto().withoutNgram());
        proposer.useCosts(costs);
        Decoder staged = new SpeculationLoop("staged", o, d, proposer, new ExactVerifier(), Detokenizer.forVocab(CONFIG.vocabSize()));
        Generation g = staged.generate(prompt, SamplingConfig.greedy(), StopConditions.maxTokens(40));
        assertThat(g.tokens()).isEqualTo(baselineTokens);
        double nodes = 0, calls = 0;
        for (Map.Entry<Integer, Integer> e : g.stats().treeSizeHistogram().entrySet()) {
            nodes += (double) e.getKey() * e.getValue();
            calls += e.getValue();
        }
        return nodes / calls;
    }

    @Test
    void treesGrowWhenBatchesAreFreeAndShrinkWhenTheyAreDear() {
        int[] prompt = {5, 17, 33, 2, 9, 41};
        int[] baseline = Methods.baseline(oracle).generate(prompt, SamplingConfig.greedy(), StopConditions.maxTokens(40)).tokens();
        double[] flat = new double[8], steep = new double[8], cheapLevel = new double[8], dearLevel = new double[8];
        Arrays.fill(flat, 1.0);
        Arrays.fill(cheapLevel, 0.001);
        Arrays.fill(dearLevel, 2.0);
        for (int b = 0; b < 8; b++) steep[b] = 1.0 + (1 << b);
        double large = meanTreeSize(new RoundCosts(flat, cheapLevel), prompt, baseline);
        double small = meanTreeSize(new RoundCosts(steep, dearLevel), prompt, baseline);
        System.out.printf("auto budget: mean tree %.1f nodes with free batches, %.1f with dear ones%n", large, small);
        assertThat(large).isGreaterThan(8);
        assertThat(small).isLessThan(4);
    }
}

package ssd.decoder.decoding;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.model.TestModels;
import ssd.decoder.ngram.KatzTrigram;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Greedy decoding with any method must give exactly the baseline's tokens. A divergence is forgiven only at a
 * numerical tie ({@link GreedyDivergence}: the two tokens' logits within 1e-4 in the baseline's context; batched and
 * sequential forwards round differently). The suite counts such ties.
 */
class GreedyEquivalenceTest {
    static final GPT2Config CONFIG = GPT2Config.of(64, 128, 64, 2, 4);
    static GPT2Model oracle;
    static int ties;

    @BeforeAll
    static void load() {
        oracle = TestModels.random(CONFIG, 21, 0.3);
    }

    @AfterAll
    static void close() {
        oracle.close();
        System.out.println("GreedyEquivalenceTest: numerical ties forgiven: " + ties);
    }

    static List<int[]> prompts() {
        SplittableRandom rng = new SplittableRandom(5);
        List<int[]> p = new ArrayList<>();
        for (int len : new int[]{1, 6, 23}) p.add(rng.ints(len, 0, CONFIG.vocabSize()).toArray());
        return p;
    }

    /** Asserts equality with the baseline up to a forgiven tie at the first divergence. */
    static void assertSameAsBaseline(String what, int[] prompt, Generation baseline, Generation other) {
        GreedyDivergence d = GreedyDivergence.find(oracle, prompt, baseline.tokens(), other.tokens());
        if (d != null) {
            assertThat(d.verdict()).as("%s diverges from the baseline at token %d (logit gap %g is no tie)", what, d.position(), d.logitGap()).isEqualTo(GreedyDivergence.Verdict.TIE);
            ties++;
            return;
        }
        assertThat(other.stopReason()).as(what).isEqualTo(baseline.stopReason());
        assertThat(other.origins()).hasSize(other.tokens().length);
    }

    @Test
    void everyMethodReproducesTheBaselineAcrossAcceptanceRegimes() {
        StopConditions stop = StopConditions.maxTokens(40);
        double[] sigmas = {0.0, 0.02, 2.0};
        double[] meanAccepted = new double[sigmas.length];
        for (int s = 0; s < sigmas.length; s++) {
            try (GPT2Model draft = TestModels.noisyCopy(oracle, sigmas[s], 100 + s)) {
                KatzTrigram ngram = DecodingFixtures.trigramFromDraftSamples(draft, 20, 60, 7);
                double accepted = 0;
                int runs = 0;
                for (int[] prompt : prompts()) {
                    Generation base = Methods.baseline(oracle).generate(prompt, SamplingConfig.greedy(), stop);
                    for (int gamma : new int[]{1, 4, 7}) {
                        Generation g = Methods.speculative(oracle, draft, gamma).generate(prompt, SamplingConfig.greedy(), stop);
                        assertSameAsBaseline("speculative gamma=" + gamma + " sigma=" + sigmas[s], prompt, base, g);
                        if (gamma == 4) {
                            accepted += g.stats().meanAcceptedPerOracleCall();
                            runs++;
                        }
                    }
                    for (StagedConfig config : new StagedConfig[]{StagedConfig.forBudget(2), StagedConfig.forBudget(5),
                            StagedConfig.forBudget(16), StagedConfig.forBudget(48), StagedConfig.auto()}) {
                        for (boolean withNgram : new boolean[]{false, true}) {
                            Decoder d = Methods.staged(oracle, draft, withNgram ? ngram : null, config);
                            Generation g = d.generate(prompt, SamplingConfig.greedy(), stop);
                            assertSameAsBaseline("staged budget=" + config.describe() + " ngram=" + withNgram + " sigma=" + sigmas[s], prompt, base, g);
                            assertThat(g.stats().treeSizeHistogram().keySet()).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(config.treeBudget()));
                        }
                    }
                }
                meanAccepted[s] = accepted / runs;
            }
        }
        // The three drafts cover ~100%, partial and ~0% acceptance (speculative, gamma 4).
        assertThat(meanAccepted[0]).as("identical draft").isGreaterThan(3.5);
        assertThat(meanAccepted[1]).as("noisy draft").isBetween(0.3, 3.5);
        assertThat(meanAccepted[2]).as("unrelated draft").isLessThan(0.3);
    }

    @Test
    void stagedAcceptsMoreTokensPerOracleCallThanAChainOfTheSameSize() {
        try (GPT2Model draft = TestModels.noisyCopy(oracle, 0.02, 101)) {
            double chain = 0, tree = 0;
            for (int[] prompt : prompts()) {
                chain += Methods.speculative(oracle, draft, 7).generate(prompt, SamplingConfig.greedy(), StopConditions.maxTokens(40))
                        .stats().meanAcceptedPerOracleCall();
                tree += Methods.staged(oracle, draft, null, StagedConfig.forBudget(8)).generate(prompt, SamplingConfig.greedy(), StopConditions.maxTokens(40))
                        .stats().meanAcceptedPerOracleCall();
            }
            assertThat(tree).isGreaterThan(chain);
        }
    }
}

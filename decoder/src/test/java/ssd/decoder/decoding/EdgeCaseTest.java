package ssd.decoder.decoding;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.model.TestModels;
import ssd.decoder.ngram.KatzTrigram;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Stop conditions and context limits hold exactly inside accepted paths, for every method. */
class EdgeCaseTest {
    static final GPT2Config CONFIG = GPT2Config.of(64, 48, 64, 2, 4);
    static GPT2Model oracle;
    static GPT2Model draft; // identical to the oracle: every proposal is accepted, so paths are long
    static KatzTrigram ngram;

    @BeforeAll
    static void load() {
        oracle = TestModels.random(CONFIG, 31, 0.3);
        draft = TestModels.noisyCopy(oracle, 0.0, 1);
        ngram = DecodingFixtures.trigramFromDraftSamples(draft, 10, 40, 3);
    }

    @AfterAll
    static void close() {
        oracle.close();
        draft.close();
    }

    static List<Decoder> methods() {
        return List.of(Methods.baseline(oracle), Methods.speculative(oracle, draft, 6),
                Methods.staged(oracle, draft, ngram, StagedConfig.forBudget(16)), Methods.staged(oracle, draft, null, StagedConfig.forBudget(16)));
    }

    static void assertAllEqual(int[] prompt, StopConditions stop) {
        Generation base = Methods.baseline(oracle).generate(prompt, SamplingConfig.greedy(), stop);
        for (Decoder d : methods()) {
            Generation g = d.generate(prompt, SamplingConfig.greedy(), stop);
            assertThat(g.tokens()).as(d.name()).isEqualTo(base.tokens());
            assertThat(g.stopReason()).as(d.name()).isEqualTo(base.stopReason());
            assertThat(g.text()).as(d.name()).isEqualTo(base.text());
        }
    }

    @Test
    void eosInsideAnAcceptedPathStopsThereWithTheSameTokens() {
        int[] prompt = {3, 1, 4};
        Generation free = Methods.baseline(oracle).generate(prompt, SamplingConfig.greedy(), StopConditions.maxTokens(30));
        int eos = free.tokens()[9];
        StopConditions stop = new StopConditions(30, eos, List.of());
        Generation base = Methods.baseline(oracle).generate(prompt, SamplingConfig.greedy(), stop);
        assertThat(base.stopReason()).isEqualTo(StopReason.EOS);
        assertThat(base.tokens()[base.tokens().length - 1]).isEqualTo(eos);
        assertAllEqual(prompt, stop);
        // the speculative run accepted more than one token per call, so EOS fell inside an accepted path
        Generation spec = Methods.speculative(oracle, draft, 6).generate(prompt, SamplingConfig.greedy(), stop);
        assertThat(spec.stats().meanAcceptedPerOracleCall()).isGreaterThan(1);
    }

    @Test
    void maxTokensReachedMidTree() {
        for (int max : new int[]{1, 2, 7, 13}) assertAllEqual(new int[]{5, 9}, StopConditions.maxTokens(max));
    }

    @Test
    void stopStringMidPath() {
        int[] prompt = {7, 7, 2};
        Generation free = Methods.baseline(oracle).generate(prompt, SamplingConfig.greedy(), StopConditions.maxTokens(20));
        String stopAt = free.text().substring(6, 8);
        StopConditions stop = new StopConditions(20, -1, List.of(stopAt));
        Generation base = Methods.baseline(oracle).generate(prompt, SamplingConfig.greedy(), stop);
        assertThat(base.stopReason()).isEqualTo(StopReason.STOP_STRING);
        assertThat(base.text()).doesNotContain(stopAt);
        assertAllEqual(prompt, stop);
    }

    @Test
    void autoBudgetsMeasureTheirCostsWithinASmallContext() {
        // The context (48) is smaller than the largest batch an auto budget may send (64) plus the timing prefix.
        Decoder auto = Methods.staged(oracle, draft, ngram, StagedConfig.auto());
        auto.warmUp(SamplingConfig.greedy());
        int[] prompt = {3, 1, 4};
        Generation base = Methods.baseline(oracle).generate(prompt, SamplingConfig.greedy(), StopConditions.maxTokens(20));
        assertThat(auto.generate(prompt, SamplingConfig.greedy(), StopConditions.maxTokens(20)).tokens()).isEqualTo(base.tokens());
    }

    @Test
    void oneTokenPrompt() {
        assertAllEqual(new int[]{42}, StopConditions.maxTokens(25));
    }

    @Test
    void promptNearTheContextLimitFillsTheContextExactly() {
        int[] prompt = new int[CONFIG.nPositions() - 3];
        for (int i = 0; i < prompt.length; i++) prompt[i] = (i * 7) % CONFIG.vocabSize();
        Generation base = Methods.baseline(oracle).generate(prompt, SamplingConfig.greedy(), StopConditions.maxTokens(20));
        assertThat(base.stopReason()).isEqualTo(StopReason.CONTEXT_FULL);
        assertThat(prompt.length + base.tokens().length).isEqualTo(CONFIG.nPositions() + 1);
        assertAllEqual(prompt, StopConditions.maxTokens(20));
    }

    @Test
    void badPromptsAndMismatchedVocabulariesAreRefused() {
        assertThatThrownBy(() -> Methods.baseline(oracle).generate(new int[0], SamplingConfig.greedy(), StopConditions.maxTokens(3)))
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> Methods.baseline(oracle).generate(new int[CONFIG.nPositions()], SamplingConfig.greedy(), StopConditions.maxTokens(3)))
                .hasMessageContaining("context is 48");
        assertThatThrownBy(() -> Methods.baseline(oracle).generate(new int[]{64}, SamplingConfig.greedy(), StopConditions.maxTokens(3)))
                .hasMessageContaining("token id 64");
        try (GPT2Model other = TestModels.random(GPT2Config.of(65, 48, 32, 1, 2), 1, 0.3)) {
            assertThatThrownBy(() -> Methods.speculative(oracle, other, 4)).hasMessageContaining("65 tokens").hasMessageContaining("64");
            KatzTrigram wrong = DecodingFixtures.trigramFromDraftSamples(other, 2, 10, 1);
            assertThatThrownBy(() -> Methods.staged(oracle, draft, wrong, StagedConfig.forBudget(8))).hasMessageContaining("n-gram");
        }
    }
}

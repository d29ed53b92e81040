package ssd.harness.experiment;

import org.bytedeco.pytorch.Device;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ssd.datasets.humaneval.HumanEval;
import ssd.datasets.prompts.Prompt;
import ssd.datasets.prompts.PromptSet;
import ssd.datasets.prompts.PromptSets;
import ssd.common.Dtype;
import ssd.decoder.decoding.BaselineDecoder;
import ssd.decoder.decoding.Decoder;
import ssd.decoder.decoding.Generation;
import ssd.decoder.decoding.GreedyDivergence;
import ssd.decoder.decoding.SamplingConfig;
import ssd.decoder.decoding.SpeculativeDecoder;
import ssd.decoder.decoding.StagedConfig;
import ssd.decoder.decoding.StagedDecoder;
import ssd.decoder.forward.Forward;
import ssd.decoder.forward.ForwardPlan;
import ssd.decoder.decoding.StopConditions;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.ngram.KatzTrigram;
import ssd.decoder.ngram.KatzTrigramFile;
import ssd.decoder.tokenizer.Gpt2Tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped mini family, fp32 on the CPU: greedy speculative and staged decoding give exactly the baseline's
 * tokens on built-in prompts and, when ../shared has it, on HumanEval prompts. A divergence passes only at a
 * numerical tie ({@link GreedyDivergence}: the two tokens' logits within 1e-4 in the baseline's context); ties are
 * counted and printed.
 */
class MiniFamilyEquivalenceTest {
    static final Path MINI = Path.of("..", "models", "mini");
    static final int PROMPTS = 8;
    static final int TOKENS = 32;
    static GPT2Model oracle, draft;
    static KatzTrigram ngram;
    static int ties, runs;

    @BeforeAll
    static void load() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(MINI.resolve("oracle")), "models/mini is not in this checkout");
        oracle = GPT2Model.load(MINI.resolve("oracle"), Dtype.FP32, new Device("cpu"));
        draft = GPT2Model.load(MINI.resolve("draft"), Dtype.FP32, new Device("cpu"));
        ngram = KatzTrigramFile.read(MINI.resolve("ngram.katz"));
    }

    @AfterAll
    static void close() {
        if (oracle != null) oracle.close();
        if (draft != null) draft.close();
        System.out.printf("MiniFamilyEquivalenceTest: %d runs compared, %d numerical ties forgiven%n", runs, ties);
    }

    @Test
    void builtinPrompts() {
        check(PromptSet.builtin().prompts().subList(0, PROMPTS));
    }

    @Test
    void humanEvalPromptsWhenPresent() {
        Assumptions.assumeTrue(HumanEval.locate(null).isPresent(), "HumanEval not found beside the checkout (../shared/datasets/humaneval)");
        PromptSet he = PromptSets.defaultPrompts();
        assertThat(he.name()).isEqualTo("humaneval");
        check(he.prompts().subList(0, PROMPTS));
    }

    static void check(List<Prompt> prompts) {
        StopConditions stop = new StopConditions(TOKENS, Gpt2Tokenizer.END_OF_TEXT, List.of());
        Forward o = Forward.create(oracle, ForwardPlan.eagerCpu()), d0 = Forward.create(draft, ForwardPlan.eagerCpu());
        List<Decoder> methods = List.of(SpeculativeDecoder.create(o, d0, 4),
                StagedDecoder.create(o, d0, ngram, StagedConfig.forBudget(32)),
                StagedDecoder.create(o, d0, null, StagedConfig.forBudget(16)),
                StagedDecoder.create(o, d0, ngram, StagedConfig.auto()));
        for (Prompt p : prompts) {
            int[] prompt = Gpt2Tokenizer.get().encode(p.prompt());
            Generation base = new BaselineDecoder(o).generate(prompt, SamplingConfig.greedy(), stop);
            for (Decoder d : methods) {
                Generation g = d.generate(prompt, SamplingConfig.greedy(), stop);
                runs++;
                compare(p.taskId() + " " + d.name(), prompt, base.tokens(), g.tokens());
            }
        }
    }

    static void compare(String what, int[] prompt, int[] expected, int[] actual) {
        GreedyDivergence d = GreedyDivergence.find(oracle, prompt, expected, actual);
        if (d == null) return;
        assertThat(d.verdict()).as("%s diverges at token %d and the logit gap %g is no tie", what, d.position(), d.logitGap()).isEqualTo(GreedyDivergence.Verdict.TIE);
        ties++;
    }
}

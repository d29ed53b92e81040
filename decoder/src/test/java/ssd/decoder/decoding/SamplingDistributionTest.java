package ssd.decoder.decoding;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.model.TestModels;
import ssd.decoder.ngram.KatzTrigram;

import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With top-k sampling every method must draw from exactly the oracle's distribution. On a model with 8 tokens the
 * probability of every 3-token continuation is computed exactly; 20,000 draws per method must pass a chi-square
 * goodness-of-fit test at alpha = 0.001, and a deliberately wrong verifier must fail it (the test has power).
 */
class SamplingDistributionTest {
    static final GPT2Config CONFIG = GPT2Config.of(8, 16, 32, 1, 2);
    static final SamplingConfig SAMPLING = SamplingConfig.topK(5, 1.0, 0);
    static final int[] PROMPT = {1, 6};
    static final int DRAWS = 20_000;
    static final double ALPHA = 0.001;
    static GPT2Model oracle, draft;
    static KatzTrigram ngram;
    static double[] exact;

    @BeforeAll
    static void setUp() {
        oracle = TestModels.random(CONFIG, 17, 0.6);
        draft = TestModels.noisyCopy(oracle, 0.25, 4);
        ngram = DecodingFixtures.trigramFromDraftSamples(draft, 40, 12, 9);
        exact = exactContinuationProbabilities();
    }

    @AfterAll
    static void tearDown() {
        oracle.close();
        draft.close();
    }

    /** P(x1 x2 x3 | prompt) under the oracle's top-k/temperature distribution, from plain causal forwards. */
    static double[] exactContinuationProbabilities() {
        int v = CONFIG.vocabSize();
        double[] p = new double[v * v * v];
        double[] p1 = dist(PROMPT);
        for (int a = 0; a < v; a++) {
            if (p1[a] == 0) continue;
            double[] p2 = dist(new int[]{PROMPT[0], PROMPT[1], a});
            for (int b = 0; b < v; b++) {
                if (p2[b] == 0) continue;
                double[] p3 = dist(new int[]{PROMPT[0], PROMPT[1], a, b});
                for (int c = 0; c < v; c++) p[(a * v + b) * v + c] = p1[a] * p2[b] * p3[c];
            }
        }
        return p;
    }

    /** The target of {@link TargetDistribution} (the one definition every method samples from) after {@code context}. */
    static double[] dist(int[] context) {
        float[] logits = TestModels.referenceLastLogits(oracle, context);
        try (org.bytedeco.javacpp.PointerScope scope = new org.bytedeco.javacpp.PointerScope()) {
            org.bytedeco.pytorch.Tensor row = ssd.decoder.torch.Torch.floats(logits, new long[]{1, logits.length});
            return TargetDistribution.of(row, SAMPLING)[0].dense(CONFIG.vocabSize());
        }
    }

    static ChiSquare.Result draw(IntFunction<Decoder> decoderForDraw) {
        int v = CONFIG.vocabSize();
        long[] counts = new long[v * v * v];
        Decoder decoder = decoderForDraw.apply(0);
        for (int i = 0; i < DRAWS; i++) {
            Generation g = decoder.generate(PROMPT, SamplingConfig.topK(SAMPLING.topK(), SAMPLING.temperature(), 1000L + i), StopConditions.maxTokens(3));
            int[] t = g.tokens();
            assertThat(t).hasSize(3);
            counts[(t[0] * v + t[1]) * v + t[2]]++;
        }
        return ChiSquare.test(exact, counts);
    }

    static void assertFits(String method, ChiSquare.Result r) {
        System.out.printf("%s: chi2 %.1f, df %d, p %.4f%n", method, r.statistic(), r.degreesOfFreedom(), r.pValue());
        assertThat(r.pValue()).as("%s: chi2 %.1f with %d df", method, r.statistic(), r.degreesOfFreedom()).isGreaterThan(ALPHA);
    }

    @Test
    void baselineDrawsFromTheOracle() {
        assertFits("baseline", draw(i -> Methods.baseline(oracle)));
    }

    @Test
    void speculativeDrawsFromTheOracle() {
        assertFits("speculative", draw(i -> Methods.speculative(oracle, draft, 3)));
    }

    @Test
    void stagedDrawsFromTheOracle() {
        assertFits("staged", draw(i -> Methods.staged(oracle, draft, ngram, new StagedConfig(6, 3, 2, 3, 2))));
    }

    @Test
    void aVerifierThatAlwaysAcceptsTheDraftFailsTheTest() {
        Verifier alwaysAccept = (tree, scores, sampler) -> {
            int node = 0;
            java.util.List<Integer> path = new java.util.ArrayList<>(java.util.List.of(0));
            while (tree.firstChild(node) >= 0) {
                node = tree.firstChild(node);
                path.add(node);
            }
            int next = sampler.sample(scores.target(node));
            return new Verifier.Result(path.stream().mapToInt(Integer::intValue).toArray(), next);
        };
        ChiSquare.Result r = draw(i -> Methods.speculative(oracle, draft, 3, alwaysAccept, Detokenizer.forVocab(8)));
        System.out.printf("always-accept verifier: chi2 %.1f, df %d, p %.3g%n", r.statistic(), r.degreesOfFreedom(), r.pValue());
        assertThat(r.pValue()).isLessThan(ALPHA);
    }

    @Test
    void chiSquareTailMatchesKnownQuantiles() {
        // chi2(0.999) quantiles: df 1 -> 10.828, df 10 -> 29.588, df 100 -> 149.449
        assertThat(ChiSquare.upperRegularizedGamma(0.5, 10.828 / 2)).isCloseTo(0.001, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(ChiSquare.upperRegularizedGamma(5, 29.588 / 2)).isCloseTo(0.001, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(ChiSquare.upperRegularizedGamma(50, 149.449 / 2)).isCloseTo(0.001, org.assertj.core.data.Offset.offset(1e-5));
    }
}

package ssd.decoder.decoding;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ssd.common.Dtype;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.model.TestModels;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GreedyDivergenceTest {
    static GPT2Model oracle;
    static final int[] PROMPT = {5, 17, 42};

    @BeforeAll
    static void load() {
        oracle = TestModels.random(TestModels.TINY, 3, 0.3);
    }

    @AfterAll
    static void close() {
        oracle.close();
    }

    @Test
    void identicalRunsHaveNoDivergence() {
        int[] run = {1, 2, 3};
        assertThat(GreedyDivergence.find(oracle, PROMPT, run, run.clone())).isNull();
    }

    @Test
    void reportsTheFirstDifferenceWithTheOraclesLogitGapInTheBaselinesContext() {
        int[] baseline = {7, 8, 9, 10};
        float[] logits = GreedyDivergence.lastLogits(oracle, new int[]{5, 17, 42, 7, 8});
        int[] other = {7, 8, 11, 10};
        GreedyDivergence d = GreedyDivergence.find(oracle, PROMPT, baseline, other);
        assertThat(d.position()).isEqualTo(2);
        assertThat(d.baselineToken()).isEqualTo(9);
        assertThat(d.token()).isEqualTo(11);
        assertThat(d.logitGap()).isCloseTo(logits[9] - logits[11], within(1e-6f));
        assertThat(d.tolerance()).isEqualTo(GreedyDivergence.F32_TIE);
    }

    @Test
    void onlyAGapWithinRoundingIsATie() {
        int[] context = {5, 17, 42};
        float[] logits = GreedyDivergence.lastLogits(oracle, context);
        Integer[] order = new Integer[logits.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a]));
        GreedyDivergence secondBest = GreedyDivergence.find(oracle, PROMPT, new int[]{order[0]}, new int[]{order[1]});
        assertThat(secondBest.logitGap()).isEqualTo(logits[order[0]] - logits[order[1]]);
        assertThat(secondBest.verdict() == GreedyDivergence.Verdict.TIE).isEqualTo(secondBest.logitGap() <= GreedyDivergence.F32_TIE);
        GreedyDivergence worst = GreedyDivergence.find(oracle, PROMPT, new int[]{order[0]}, new int[]{order[order.length - 1]});
        assertThat(worst.logitGap()).isGreaterThan(GreedyDivergence.F32_TIE);
        assertThat(worst.verdict()).isNotEqualTo(GreedyDivergence.Verdict.TIE);
        assertThat(worst.verdict()).isEqualTo(GreedyDivergence.Verdict.MISMATCH);
        // the other way round: the method took the reference's best token where the baseline had not
        GreedyDivergence baselineOff = GreedyDivergence.find(oracle, PROMPT, new int[]{order[order.length - 1]}, new int[]{order[0]});
        assertThat(baselineOff.verdict()).isEqualTo(GreedyDivergence.Verdict.REFERENCE_PREFERS_METHOD);
    }

    @Test
    void aRunThatStopsEarlierIsNeverATie() {
        GreedyDivergence d = GreedyDivergence.find(oracle, PROMPT, new int[]{1, 2, 3}, new int[]{1, 2});
        assertThat(d.position()).isEqualTo(2);
        assertThat(d.baselineToken()).isEqualTo(3);
        assertThat(d.token()).isEqualTo(-1);
        assertThat(d.logitGap()).isNaN();
        assertThat(d.verdict()).isNotEqualTo(GreedyDivergence.Verdict.TIE);
        assertThat(d.verdict()).isEqualTo(GreedyDivergence.Verdict.MISMATCH);
    }

    @Test
    void tolerancesFollowTheDtypesRounding() {
        assertThat(GreedyDivergence.tieTolerance(Dtype.FP32, 12f)).isEqualTo(1e-4f);
        // |logit| in [8, 16): fp16 spacing 2^-7, bf16 spacing 2^-4; four units each
        assertThat(GreedyDivergence.tieTolerance(Dtype.FP16, 12f)).isEqualTo(4f / 128);
        assertThat(GreedyDivergence.tieTolerance(Dtype.BF16, -12f)).isEqualTo(4f / 16);
        assertThat(GreedyDivergence.tieTolerance(Dtype.FP16, 0.75f)).isEqualTo(4f / 2048);
    }
}

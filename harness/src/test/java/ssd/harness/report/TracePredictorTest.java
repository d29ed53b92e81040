package ssd.harness.report;

import org.junit.jupiter.api.Test;
import ssd.common.Dtype;
import ssd.roofline.ModelShapes;
import ssd.roofline.trace.DecodingTrace;
import ssd.roofline.trace.Method;
import ssd.roofline.trace.OracleCall;
import ssd.tables.DecodeRun;
import ssd.tables.Origin;
import ssd.tables.Prediction;
import ssd.tables.RunStats;
import ssd.tables.Sampling;

import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The simulator's predictions for the report: the paper profile reproduces the paper's anchor, and groups need traces. */
class TracePredictorTest {
    private static final Sampling GREEDY = new Sampling(0, 0);

    /** A GPT-2-L baseline run of 100 one-token steps at a prefix of 256, recorded in {@code dtype}. */
    private static DecodeRun baseline(String task, Dtype dtype, boolean withTrace) {
        List<OracleCall> calls = Collections.nCopies(100, new OracleCall(256, 1, 1));
        DecodingTrace trace = new DecodingTrace(Method.BASELINE, ModelShapes.preset("gpt2-large"), null, dtype, 100, calls, List.of(), 0);
        return new DecodeRun(task, "baseline", "GPU", dtype.flagName(), GREEDY, new int[100], Collections.nCopies(100, Origin.ORACLE), "",
                1, 100, new RunStats(100, 0, 1, 1, 0), null, withTrace ? trace : null);
    }

    @Test
    void thePaperProfileGivesThePapersBaselineRateAndOursIsFaster() {
        TracePredictor predictor = new TracePredictor(ImplementationProfiles.defaults());
        assertThat(predictor.profiles()).extracting(p -> p.name()).containsExactly("paper", "ours");
        // recorded in fp32: costed in fp16, the paper's precision, so the anchor's 150 tokens/s comes back
        List<Prediction> p = predictor.predict(List.of(baseline("t/0", Dtype.FP32, true), baseline("t/1", Dtype.FP16, true)));
        assertThat(p).hasSize(2);
        Prediction paper = p.get(0), ours = p.get(1);
        assertThat(paper.profile()).isEqualTo("paper");
        assertThat(paper.tokensPerSecond()).isCloseTo(150, within(1.5));
        assertThat(paper.bytesPerToken()).isCloseTo(1.597e9, within(0.01e9)); // docs/roofline-sim.md: 1.597 GB per GPT-2-L fp16 step
        assertThat(ours.profile()).isEqualTo("ours");
        assertThat(ours.tokensPerSecond()).isGreaterThan(2 * paper.tokensPerSecond());
        assertThat(ours.bytesPerToken()).isEqualTo(paper.bytesPerToken());
    }

    @Test
    void aGroupWithAnUntracedRunGetsNoPrediction() {
        TracePredictor predictor = new TracePredictor(ImplementationProfiles.defaults());
        assertThat(predictor.predict(List.of(baseline("t/0", Dtype.FP16, true), baseline("t/1", Dtype.FP16, false)))).isEmpty();
    }
}

package ssd.roofline.predict;

import org.junit.jupiter.api.Test;
import ssd.common.Dtype;
import ssd.roofline.ModelShape;
import ssd.roofline.ModelShapes;
import ssd.roofline.device.Device;
import ssd.roofline.device.DeviceCatalog;
import ssd.roofline.trace.DecodingTrace;
import ssd.roofline.trace.DraftCall;
import ssd.roofline.trace.Method;
import ssd.roofline.trace.OracleCall;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MethodPredictorTest {
    private static final ModelShape ORACLE = ModelShapes.preset("gpt2-large");
    private static final ModelShape DRAFT = ModelShapes.resolve("4x512");
    private static final Device RTX = DeviceCatalog.get("rtx4090");

    /** A staged-like trace: a 100-token prompt, then trees of 16 nodes accepting 4 tokens each, 3 draft levels per tree. */
    private static DecodingTrace staged(int steps, long ngram) {
        List<OracleCall> oracle = new ArrayList<>();
        List<DraftCall> draft = new ArrayList<>();
        oracle.add(new OracleCall(0, 100, 1));
        int prefix = 100;
        for (int i = 0; i < steps; i++) {
            for (int level = 0; level < 3; level++) draft.add(new DraftCall(prefix + level, 2));
            oracle.add(new OracleCall(prefix, 16, 4));
            prefix += 4;
        }
        return new DecodingTrace(Method.STAGED, ORACLE, DRAFT, Dtype.FP16, 1 + 4 * steps, oracle, draft, ngram);
    }

    @Test
    void stagedBeatsItsBaselineAndMovesLessDramPerToken() {
        DecodingTrace t = staged(50, 0);
        MethodPrediction staged = MethodPredictor.predict(RTX, t, PredictOptions.DEFAULT);
        MethodPrediction base = MethodPredictor.predict(RTX, t.baselineEquivalent(), PredictOptions.DEFAULT);
        assertThat(staged.generatedTokens()).isEqualTo(base.generatedTokens()).isEqualTo(201);
        assertThat(staged.tokensPerSecond()).isGreaterThan(2 * base.tokensPerSecond());
        // Table 1's claim: fewer weight reads per generated token.
        assertThat(staged.dramBytesPerToken()).isLessThan(0.5 * base.dramBytesPerToken());
        assertThat(staged.arithmeticIntensity()).isGreaterThan(3 * base.arithmeticIntensity());
        assertThat(base.meanTokensPerOracleCall()).isEqualTo(1.0);
    }

    @Test
    void ngramQueriesCostTheirOptionTimeAndKvCommitsCostSomething() {
        PredictOptions noCommit = new PredictOptions(10e-6, false);
        MethodPrediction a = MethodPredictor.predict(RTX, staged(20, 0), noCommit);
        MethodPrediction b = MethodPredictor.predict(RTX, staged(20, 1000), noCommit);
        assertThat(b.ngramSeconds()).isCloseTo(1000 * 10e-6, within(1e-15));
        assertThat(b.wallSeconds() - a.wallSeconds()).isCloseTo(0.01, within(1e-12));

        MethodPrediction committed = MethodPredictor.predict(RTX, staged(20, 0), PredictOptions.DEFAULT);
        // 20 commits of 2 kernels per layer: at least their launch latency and host overhead.
        double perKernel = RTX.kernelLatency() + RTX.hostOverheadPerOp();
        assertThat(committed.oracleSeconds() - a.oracleSeconds()).isGreaterThan(20 * 2 * 36 * perKernel);
    }

    @Test
    void predictionsOfSeveralPromptsAreSummedPerMethod() {
        MethodPredictor p = new MethodPredictor(RTX, PredictOptions.DEFAULT);
        DecodingTrace t = staged(10, 5);
        List<MethodPrediction> byMethod = p.predictByMethod(List.of(t, t, t.baselineEquivalent()));
        assertThat(byMethod).extracting(MethodPrediction::method).containsExactly("staged", "baseline");
        MethodPrediction one = p.predict(t);
        assertThat(byMethod.get(0).generatedTokens()).isEqualTo(2 * one.generatedTokens());
        assertThat(byMethod.get(0).wallSeconds()).isCloseTo(2 * one.wallSeconds(), within(1e-12));
        assertThat(byMethod.get(0).tokensPerSecond()).isCloseTo(one.tokensPerSecond(), within(1e-9));
    }
}

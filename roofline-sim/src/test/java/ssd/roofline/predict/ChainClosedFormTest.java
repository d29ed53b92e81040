package ssd.roofline.predict;

import org.junit.jupiter.api.Test;
import ssd.common.Dtype;
import ssd.roofline.ModelShape;
import ssd.roofline.ModelShapes;
import ssd.roofline.cost.ForwardCostModel;
import ssd.roofline.device.Device;
import ssd.roofline.device.DeviceCatalog;
import ssd.roofline.time.TimeModel;
import ssd.roofline.trace.DecodingTrace;
import ssd.roofline.trace.DraftCall;
import ssd.roofline.trace.Method;
import ssd.roofline.trace.OracleCall;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ChainClosedFormTest {
    private static final ModelShape ORACLE = ModelShapes.preset("gpt2-large");
    private static final ModelShape DRAFT = ModelShapes.resolve("4x512");
    private static final int PREFIX = 256;

    @Test
    void expectedTokensPerCall() {
        assertThat(ClosedForms.chainExpectedTokens(0.5, 3)).isCloseTo(1.875, within(1e-12));   // 1 + .5 + .25 + .125
        assertThat(ClosedForms.chainExpectedTokens(1.0, 4)).isEqualTo(5);
        assertThat(ClosedForms.chainExpectedTokens(0.0, 4)).isEqualTo(1);
        assertThat(ClosedForms.leviathanSpeedup(0.8, 4, 0.05)).isCloseTo((1 - Math.pow(0.8, 5)) / 0.2 / 1.2, within(1e-12));
    }

    @Test
    void singleRankTreeIsTheChain() {
        for (double a : new double[]{0.3, 0.7, 0.9}) {
            for (int g : new int[]{1, 4, 9}) {
                SpeculationTree t = SpeculationTree.best(AcceptanceModel.chain(a), g);
                assertThat(t.expectedTokens()).isCloseTo(ClosedForms.chainExpectedTokens(a, g), within(1e-12));
                assertThat(t.draftBatchPerLevel()).hasSize(g).containsOnly(1);   // g sequential 1-token draft steps
                assertThat(t.oracleBatch()).isEqualTo(g + 1);
            }
        }
    }

    /**
     * A synthetic speculative trace whose accepted counts follow the chain distribution exactly (P(k) = a^(k-1)(1-a)
     * for k <= g, P(g+1) = a^g, counts in proportion): replaying it must give the closed-form throughput.
     */
    @Test
    void traceReplayMatchesClosedFormForChainSpeculative() {
        double a = 0.8;
        int g = 4;
        int calls = 100_000;
        List<OracleCall> oracle = new ArrayList<>();
        List<DraftCall> draft = new ArrayList<>();
        int generated = 0;
        for (int k = 1; k <= g + 1; k++) {
            double p = k <= g ? Math.pow(a, k - 1) * (1 - a) : Math.pow(a, g);
            long count = Math.round(p * calls);
            for (long i = 0; i < count; i++) {
                oracle.add(new OracleCall(PREFIX, g + 1, k));
                for (int j = 0; j < g; j++) draft.add(new DraftCall(PREFIX, 1));
                generated += k;
            }
        }
        DecodingTrace trace = new DecodingTrace(Method.SPECULATIVE, ORACLE, DRAFT, Dtype.FP16, generated, oracle, draft, 0);
        Device d = DeviceCatalog.get("rtx4090");
        MethodPrediction p = MethodPredictor.predict(d, trace, PredictOptions.DEFAULT);

        double step = seconds(d, ORACLE, 1), verify = seconds(d, ORACLE, g + 1), draftStep = seconds(d, DRAFT, 1);
        double closedForm = ClosedForms.chainExpectedTokens(a, g) / (verify + g * draftStep);
        assertThat(p.meanTokensPerOracleCall()).isCloseTo(ClosedForms.chainExpectedTokens(a, g), within(1e-3));
        assertThat(p.tokensPerSecond()).isCloseTo(closedForm, within(0.002 * closedForm));
        double speedup = p.tokensPerSecond() * step;
        assertThat(speedup).isCloseTo(ClosedForms.chainSpeedup(a, g, step, verify, draftStep), within(0.002 * speedup));

        // The what-if model agrees too (it advances the draft's prefix one token per level, hence not exactly).
        Scenario s = new Scenario(d, ORACLE, DRAFT, Dtype.FP16, PREFIX, AcceptanceModel.chain(a), PredictOptions.DEFAULT);
        assertThat(WhatIf.chain(s, g).tokensPerSecond()).isCloseTo(closedForm, within(1e-4 * closedForm));
    }

    private static double seconds(Device d, ModelShape m, int n) {
        return TimeModel.time(d, ForwardCostModel.forward(m, Dtype.FP16, PREFIX, n), Dtype.FP16).seconds();
    }
}

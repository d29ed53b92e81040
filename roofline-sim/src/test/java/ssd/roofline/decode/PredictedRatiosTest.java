package ssd.roofline.decode;

import org.junit.jupiter.api.Test;
import ssd.common.Dtype;
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

class PredictedRatiosTest {
    private static DecodeRecord record(DecodingTrace t) {
        return new DecodeRecord("p", "NVIDIA H200", "greedy", t, StageTimes.ZERO, 0);
    }

    /** GPT-2-L baseline: prompt forward of 256, then one step at prefix 256 (the paper anchor's point). */
    private static DecodingTrace baselineAt256() {
        return new DecodingTrace(Method.BASELINE, ModelShapes.preset("gpt2-large"), null, Dtype.FP16, 2,
                List.of(new OracleCall(0, 256, 1), new OracleCall(256, 1, 1)), List.of(), 0);
    }

    @Test
    void thePaperProfileReproducesThePapersBaselineOnTheRtx4090() {
        PredictedRatios p = PredictedRatios.of(List.of(record(baselineAt256())), ImplementationProfile.paper(HostCosts.NONE),
                PredictedRatios.Shapes.AS_RECORDED);
        PredictedRatios.Row base = p.row("greedy", Method.BASELINE);
        assertThat(base.tokensPerSecond()).isCloseTo(150.0, within(0.5));
        assertThat(base.relativeToBaseline()).isEqualTo(1.0);
    }

    @Test
    void speculationPaysOnTheRtx4090WhenMostProposalsAreAcceptedAndNotWithoutAnyAccepted() {
        DecodingTrace good = chain(5, 40), bad = chain(1, 40);
        ImplementationProfile paper = ImplementationProfile.paper(HostCosts.NONE);
        PredictedRatios.Shapes shapes = new PredictedRatios.Shapes(ModelShapes.preset("gpt2-large"), ModelShapes.resolve("4x512"));
        PredictedRatios p = PredictedRatios.of(List.of(record(good)), paper, shapes);
        PredictedRatios.Row implied = p.row("greedy", Method.BASELINE);
        assertThat(implied.implied()).isTrue();
        assertThat(p.row("greedy", Method.SPECULATIVE).relativeToBaseline()).isGreaterThan(1.5);
        assertThat(PredictedRatios.of(List.of(record(bad)), paper, shapes).row("greedy", Method.SPECULATIVE).relativeToBaseline()).isLessThan(1.0);
    }

    @Test
    void ourProfileKeepsOurKernelSetAndLatencyOnTheCardsBandwidth() {
        Device calibrated = DeviceCatalog.get("h200").withName("NVIDIA H200 [cuda-graph+fused]").withComputeScale(0.5).withOverheads(3e-6, 0);
        ImplementationProfile ours = ImplementationProfile.ours(calibrated, HostCosts.NONE);
        assertThat(ours.device().name()).isEqualTo("rtx4090 [cuda-graph+fused] (ours)");
        assertThat(ours.device().bandwidth()).isEqualTo(1.008e12);
        assertThat(ours.device().peakFlops(Dtype.FP16)).isCloseTo(165.2e12 * 0.5, within(1e6));
        assertThat(ours.device().kernelLatency()).isEqualTo(3e-6);
        // Graph replay of fused kernels beats eager dispatch on the same card.
        PredictedRatios paper = PredictedRatios.of(List.of(record(baselineAt256())), ImplementationProfile.paper(HostCosts.NONE),
                PredictedRatios.Shapes.AS_RECORDED);
        PredictedRatios mine = PredictedRatios.of(List.of(record(baselineAt256())), ours, PredictedRatios.Shapes.AS_RECORDED);
        assertThat(mine.row("greedy", Method.BASELINE).tokensPerSecond()).isGreaterThan(2 * paper.row("greedy", Method.BASELINE).tokensPerSecond());
    }

    /** Speculative decoding of 40 tokens at prefix ~256: chains of 4 drafted tokens, {@code accepted} kept per call. */
    private static DecodingTrace chain(int accepted, int tokens) {
        List<OracleCall> calls = new ArrayList<>();
        List<DraftCall> drafts = new ArrayList<>();
        int prefix = 255, emitted = 0;
        while (emitted < tokens) {
            int a = Math.min(accepted, tokens - emitted);
            for (int i = 0; i < 4; i++) drafts.add(new DraftCall(prefix + i, 1));
            calls.add(new OracleCall(prefix, 5, a));
            prefix += a;
            emitted += a;
        }
        return new DecodingTrace(Method.SPECULATIVE, ModelShapes.preset("gpt2"), ModelShapes.preset("gpt2"), Dtype.FP16, tokens, calls, drafts, 0);
    }
}

package ssd.harness.report;

import ssd.common.Dtype;
import ssd.roofline.predict.MethodPrediction;
import ssd.roofline.predict.MethodPredictor;
import ssd.roofline.predict.PredictOptions;
import ssd.roofline.trace.DecodingTrace;
import ssd.tables.DecodeRun;
import ssd.tables.Prediction;
import ssd.tables.Predictor;
import ssd.tables.Profile;
import ssd.tables.Sampling;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Predictions from the roofline simulator: each run's recorded trace replayed on each profile's device
 * ({@link MethodPredictor}, n-gram queries at the paper's 10 us bound, tree KV commits charged), summed per sampling
 * mode and method. Traces are costed in fp16, the paper's precision, whatever dtype the runs used: the runs supply
 * what each method did call by call, the profile the card and implementation. A group with a run that has no trace
 * gets no prediction.
 */
final class TracePredictor implements Predictor {
    private final List<ImplementationProfiles.ProfiledDevice> profiles;

    TracePredictor(List<ImplementationProfiles.ProfiledDevice> profiles) {
        this.profiles = List.copyOf(profiles);
    }

    @Override
    public List<Profile> profiles() {
        return profiles.stream().map(ImplementationProfiles.ProfiledDevice::profile).toList();
    }

    @Override
    public List<Prediction> predict(List<DecodeRun> runs) {
        record Group(Sampling sampling, String method) {
        }
        Map<Group, List<DecodingTrace>> groups = new LinkedHashMap<>();
        List<Group> untraced = new ArrayList<>();
        for (DecodeRun r : runs) {
            Group g = new Group(r.sampling(), r.method());
            if (r.trace() == null) untraced.add(g);
            else groups.computeIfAbsent(g, k -> new ArrayList<>()).add(inPaperPrecision(r.trace()));
        }
        untraced.forEach(groups::remove);
        List<Prediction> out = new ArrayList<>();
        for (ImplementationProfiles.ProfiledDevice p : profiles) {
            MethodPredictor predictor = new MethodPredictor(p.device(), PredictOptions.DEFAULT);
            groups.forEach((g, traces) -> {
                MethodPrediction sum = MethodPrediction.sum(traces.stream().map(predictor::predict).toList());
                out.add(new Prediction(p.profile().name(), g.sampling(), g.method(), sum.tokensPerSecond(), sum.dramBytesPerToken()));
            });
        }
        return out;
    }

    private static DecodingTrace inPaperPrecision(DecodingTrace t) {
        if (t.dtype() == Dtype.FP16) return t;
        return new DecodingTrace(t.method(), t.oracle(), t.draft(), Dtype.FP16, t.generatedTokens(), t.oracleCalls(), t.draftCalls(), t.ngramQueries());
    }
}

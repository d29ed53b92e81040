package ssd.roofline.decode;

import ssd.roofline.ModelShape;
import ssd.roofline.trace.DecodingTrace;
import ssd.roofline.trace.Method;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Predicted decoding throughput of each (sampling, method) of a results file under an {@link ImplementationProfile}:
 * the records' measured acceptance (their traces: every oracle call's batch and accepted tokens, every draft call,
 * the n-gram lookups) replayed with the profile's forward and host costs. Optionally the traces' model shapes are
 * swapped for others (e.g. the paper's GPT-2-L oracle and 40M draft) with the same acceptance. Prompt forwards are
 * left out, as in {@link DecodeCheck}.
 *
 * <p>For the paper's Table 2 on the RTX 4090: {@code PredictedRatios.of(records, ImplementationProfile.paper(host),
 * shapes)} and {@code ...ours(calibrated, host)}, with {@code host} from {@link HostCostFit}.
 *
 * @param profile the profile predicted for
 * @param rows    one per (sampling, method) in first-seen order; a sampling mode without baseline records gets an
 *                implied baseline row (method baseline, {@code implied} true) that decodes the same prompts and
 *                lengths one token at a time
 */
public record PredictedRatios(ImplementationProfile profile, List<Row> rows) {

    /**
     * @param tokens             tokens of the decoding phases
     * @param seconds            predicted decoding time
     * @param relativeToBaseline tokens/s over the baseline's of the same sampling mode
     */
    public record Row(String sampling, Method method, boolean implied, int runs, long tokens, double seconds, double relativeToBaseline) {
        public double tokensPerSecond() {
            return tokens / seconds;
        }
    }

    /** Model shapes replacing the traces' (null keeps a trace's own). */
    public record Shapes(ModelShape oracle, ModelShape draft) {
        public static final Shapes AS_RECORDED = new Shapes(null, null);

        DecodingTrace apply(DecodingTrace t) {
            if (oracle == null && draft == null) return t;
            ModelShape d = t.draft() == null ? null : draft != null ? draft : t.draft();
            return new DecodingTrace(t.method(), oracle != null ? oracle : t.oracle(), d, t.dtype(), t.generatedTokens(), t.oracleCalls(),
                    t.draftCalls(), t.ngramQueries());
        }
    }

    public static PredictedRatios of(List<DecodeRecord> records, ImplementationProfile profile, Shapes shapes) {
        if (records.isEmpty()) throw new IllegalArgumentException("no records to predict");
        ForwardTimes times = new ForwardTimes(profile.device());
        record Acc(String sampling, Method method, boolean implied, List<DecodingTrace> traces) {
        }
        Map<String, Acc> groups = new LinkedHashMap<>();
        for (DecodeRecord r : records) {
            groups.computeIfAbsent(r.sampling() + "\u0000" + r.method(), k -> new Acc(r.sampling(), r.method(), false, new ArrayList<>()))
                    .traces().add(shapes.apply(r.trace()));
        }
        // An implied baseline for each sampling mode that has none: the first method's runs, one token at a time.
        Map<String, Acc> implied = new LinkedHashMap<>();
        for (Acc a : groups.values()) {
            boolean hasBaseline = groups.values().stream().anyMatch(b -> b.method() == Method.BASELINE && b.sampling().equals(a.sampling()));
            if (!hasBaseline && !implied.containsKey(a.sampling())) {
                List<DecodingTrace> base = new ArrayList<>();
                for (DecodingTrace t : a.traces()) base.add(t.baselineEquivalent());
                implied.put(a.sampling(), new Acc(a.sampling(), Method.BASELINE, true, base));
            }
        }
        List<Acc> all = new ArrayList<>(implied.values());
        all.addAll(groups.values());
        Map<String, double[]> baseRate = new LinkedHashMap<>();
        List<double[]> sums = new ArrayList<>();
        for (Acc a : all) {
            double seconds = 0;
            long tokens = 0;
            for (DecodingTrace t : a.traces()) {
                RunWork w = RunWork.of(t, times);
                seconds += w.predict(profile.host()).decodeSeconds();
                tokens += w.tokens();
            }
            sums.add(new double[]{tokens, seconds});
            if (a.method() == Method.BASELINE) baseRate.put(a.sampling(), new double[]{tokens / seconds});
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Acc a = all.get(i);
            double tokens = sums.get(i)[0], seconds = sums.get(i)[1];
            double base = baseRate.get(a.sampling())[0];
            rows.add(new Row(a.sampling(), a.method(), a.implied(), a.traces().size(), (long) tokens, seconds, tokens / seconds / base));
        }
        return new PredictedRatios(profile, rows);
    }

    /** The row of a (sampling, method), or null. */
    public Row row(String sampling, Method method) {
        for (Row r : rows) if (r.sampling().equals(sampling) && r.method() == method) return r;
        return null;
    }
}

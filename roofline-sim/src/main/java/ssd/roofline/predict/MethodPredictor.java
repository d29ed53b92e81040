package ssd.roofline.predict;

import ssd.common.Dtype;
import ssd.roofline.ModelShape;
import ssd.roofline.cost.ForwardCostModel;
import ssd.roofline.cost.ForwardImpl;
import ssd.roofline.cost.Workload;
import ssd.roofline.device.Device;
import ssd.roofline.time.TimeModel;
import ssd.roofline.trace.DecodingTrace;
import ssd.roofline.trace.DraftCall;
import ssd.roofline.trace.Method;
import ssd.roofline.trace.OracleCall;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Replays a recorded decoding trace on a device: wall time = sum of predicted oracle forwards (plus tree KV commits
 * for staged), draft forwards and n-gram lookups. Forwards of the same shape are memoized, so 164-prompt traces are
 * cheap to replay on every catalog device.
 */
public final class MethodPredictor {
    private final Device device;
    private final PredictOptions options;
    private final Map<Key, Cost> memo = new HashMap<>();

    /** A forward (newTokens > 0) or a KV commit of {@code kept} rows (newTokens == 0). */
    private record Key(ModelShape shape, Dtype dtype, int prefix, int newTokens, int kept) {
    }

    /** Seconds, FLOPs and bytes of one call. */
    record Cost(double seconds, double flops, double bytes, double weightBytes) {
        /** This cost plus {@code weight} times another (a weight below 1 is an expected cost). */
        Cost plus(Cost o, double weight) {
            return new Cost(seconds + weight * o.seconds, flops + weight * o.flops, bytes + weight * o.bytes,
                    weightBytes + weight * o.weightBytes);
        }
    }

    public MethodPredictor(Device device, PredictOptions options) {
        this.device = Objects.requireNonNull(device);
        this.options = Objects.requireNonNull(options);
    }

    public static MethodPrediction predict(Device device, DecodingTrace trace, PredictOptions options) {
        return new MethodPredictor(device, options).predict(trace);
    }

    /** Predicts each trace and sums them per method, in first-seen method order. */
    public List<MethodPrediction> predictByMethod(List<DecodingTrace> traces) {
        Map<Method, List<MethodPrediction>> grouped = new LinkedHashMap<>();
        for (DecodingTrace t : traces) grouped.computeIfAbsent(t.method(), m -> new ArrayList<>()).add(predict(t));
        List<MethodPrediction> out = new ArrayList<>();
        for (List<MethodPrediction> g : grouped.values()) out.add(MethodPrediction.sum(g));
        return out;
    }

    public MethodPrediction predict(DecodingTrace trace) {
        double oracleS = 0, draftS = 0, flops = 0, bytes = 0, weights = 0;
        List<OracleCall> calls = trace.oracleCalls();
        for (int i = 0; i < calls.size(); i++) {
            OracleCall c = calls.get(i);
            Cost cost = cost(trace.oracle(), trace.dtype(), c.prefixLen(), c.newTokens());
            // A kept root alone is already in place; the prefill (call 0) writes the cache directly.
            boolean commit = options.commitTreeKv() && trace.method() == Method.STAGED && i > 0 && c.accepted() > 1;
            if (commit) cost = cost.plus(commitCost(trace.oracle(), trace.dtype(), c.accepted()), 1);
            oracleS += cost.seconds;
            flops += cost.flops;
            bytes += cost.bytes;
            weights += cost.weightBytes;
        }
        for (DraftCall c : trace.draftCalls()) {
            Cost cost = cost(trace.draft(), trace.dtype(), c.prefixLen(), c.newTokens());
            draftS += cost.seconds;
            flops += cost.flops;
            bytes += cost.bytes;
            weights += cost.weightBytes;
        }
        double ngramS = trace.ngramQueries() * options.ngramQuerySeconds();
        return new MethodPrediction(trace.method().label(), device.name(), trace.generatedTokens(), calls.size(),
                oracleS, draftS, ngramS, flops, bytes, weights);
    }

    /** One forward of {@code newTokens} at {@code prefix}. */
    Cost cost(ModelShape shape, Dtype dtype, int prefix, int newTokens) {
        return memo.computeIfAbsent(new Key(shape, dtype, prefix, newTokens, 0),
                k -> of(ForwardImpl.forDevice(device.name()).forward(shape, dtype, prefix, newTokens), dtype));
    }

    /** Moving {@code kept} accepted rows into place in the KV cache. */
    Cost commitCost(ModelShape shape, Dtype dtype, int kept) {
        return memo.computeIfAbsent(new Key(shape, dtype, 0, 0, kept), k -> of(ForwardCostModel.kvCommit(shape, dtype, kept), dtype));
    }

    private Cost of(Workload w, Dtype dtype) {
        return new Cost(TimeModel.time(device, w, dtype).seconds(), w.flops(), w.bytes(), w.weightBytes());
    }

    public Device device() {
        return device;
    }
}

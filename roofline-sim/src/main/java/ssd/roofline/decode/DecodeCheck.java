package ssd.roofline.decode;

import ssd.roofline.device.Device;
import ssd.roofline.report.TextTable;
import ssd.roofline.trace.Method;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Predicted against measured decoding throughput of {@code bench-decode} records, per sampling mode and method:
 * tokens of the decoding phase over its time (prompt forwards excluded on both sides), stage by stage.
 *
 * @param device the forward model the predictions used
 * @param host   the host costs they used
 * @param groups one entry per (sampling, method), in first-seen order
 */
public record DecodeCheck(Device device, HostCosts host, List<Group> groups) {

    /**
     * @param runs      records in the group
     * @param tokens    tokens of their decoding phases
     * @param measured  summed measured stage times
     * @param predicted summed predicted stage times
     */
    public record Group(String sampling, Method method, int runs, long tokens, StageTimes measured, StageTimes predicted) {
        public double measuredTokensPerSecond() {
            return tokens / measured.decodeSeconds();
        }

        public double predictedTokensPerSecond() {
            return tokens / predicted.decodeSeconds();
        }

        /** predicted / measured tokens/s - 1. */
        public double relativeError() {
            return predictedTokensPerSecond() / measuredTokensPerSecond() - 1;
        }
    }

    public static DecodeCheck of(List<DecodeRecord> records, Device device, HostCosts host) {
        ForwardTimes times = new ForwardTimes(device);
        record Acc(String sampling, Method method, int[] runs, long[] tokens, StageTimes[] measured, StageTimes[] predicted) {
        }
        Map<String, Acc> acc = new LinkedHashMap<>();
        for (DecodeRecord r : records) {
            RunWork w = RunWork.of(r.trace(), times);
            Acc a = acc.computeIfAbsent(r.sampling() + "\u0000" + r.method(), k -> new Acc(r.sampling(), r.method(), new int[1],
                    new long[1], new StageTimes[]{StageTimes.ZERO}, new StageTimes[]{StageTimes.ZERO}));
            a.runs[0]++;
            a.tokens[0] += w.tokens();
            a.measured[0] = a.measured[0].plus(r.measured());
            a.predicted[0] = a.predicted[0].plus(w.predict(host));
        }
        List<Group> groups = new ArrayList<>();
        for (Acc a : acc.values()) groups.add(new Group(a.sampling, a.method, a.runs[0], a.tokens[0], a.measured[0], a.predicted[0]));
        return new DecodeCheck(device, host, groups);
    }

    public double maxAbsError() {
        double m = 0;
        for (Group g : groups) m = Math.max(m, Math.abs(g.relativeError()));
        return m;
    }

    /** The baseline group of the same sampling mode, or null. */
    public Group baselineOf(Group g) {
        for (Group b : groups) if (b.method() == Method.BASELINE && b.sampling().equals(g.sampling())) return b;
        return null;
    }

    /** Table of predicted vs measured tokens/s, speedups, and stage times per run, with the verdict against target. */
    public String report(double target) {
        TextTable t = new TextTable("sampling", "method", "runs", "measured tok/s", "predicted tok/s", "error", "measured x", "predicted x",
                "oracle ms/run m/p", "draft ms/run m/p", "ngram ms/run m/p", "other ms/run m/p");
        for (Group g : groups) {
            Group b = baselineOf(g);
            String mx = b == null ? "-" : f("%.2fx", g.measuredTokensPerSecond() / b.measuredTokensPerSecond());
            String px = b == null ? "-" : f("%.2fx", g.predictedTokensPerSecond() / b.predictedTokensPerSecond());
            t.add(g.sampling(), g.method().label(), g.runs(), f("%.0f", g.measuredTokensPerSecond()), f("%.0f", g.predictedTokensPerSecond()),
                    f("%+.1f%%", 100 * g.relativeError()), mx, px,
                    pair(g.measured().oracleSeconds(), g.predicted().oracleSeconds(), g.runs()),
                    pair(g.measured().draftSeconds(), g.predicted().draftSeconds(), g.runs()),
                    pair(g.measured().ngramSeconds(), g.predicted().ngramSeconds(), g.runs()),
                    pair(g.measured().bookkeepingSeconds(), g.predicted().bookkeepingSeconds(), g.runs()));
        }
        double worst = maxAbsError();
        return f("forward model: %s (%s kernels; %.2f us per kernel, %.2f us host per op, %s)%n", device.name(),
                ssd.roofline.cost.ForwardImpl.forDevice(device.name()).name().toLowerCase(Locale.ROOT), device.kernelLatency() * 1e6,
                device.hostOverheadPerOp() * 1e6, device.launch().label()) + "host costs (" + host.source() + "):\n" + host.describe()
                + "decoding phase only (prompt forwards, which hold one-off graph captures, are left out on both sides):\n"
                + t.render() + f("largest |error| %.1f%% (target %.0f%%): %s%n", 100 * worst, 100 * target, worst <= target ? "PASS" : "FAIL");
    }

    private static String pair(double measured, double predicted, int runs) {
        return f("%.2f/%.2f", 1e3 * measured / runs, 1e3 * predicted / runs);
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}

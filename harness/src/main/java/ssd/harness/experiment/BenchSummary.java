package ssd.harness.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import ssd.decoder.decoding.TokenOrigin;
import ssd.harness.decode.Method;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What bench-decode prints after a run, from its records: per method end-to-end and decode-only tokens/s and their
 * ratio to the baseline, accepted tokens per oracle call and the acceptance by position, the memory bandwidth its
 * decoding achieved, the origin mix, where each generated token's milliseconds went (oracle, draft, n-gram, host
 * bookkeeping; prompt apart), and whether greedy outputs agree with the baseline.
 */
final class BenchSummary {
    /** Running totals of one method. */
    private static final class Totals {
        double tokens, seconds, decodeSeconds, acceptedSum, calls, draftForwards, bytes;
        final double[] stageMs = new double[5]; // oracle, draft, ngram, bookkeeping, prefill
        final long[] origins = new long[TokenOrigin.values().length];
        final Map<Integer, Long> acceptedHistogram = new java.util.TreeMap<>();
    }

    private static final String[] STAGES = {"oracle", "draft", "ngram", "bookkeeping", "prefill"};

    private final List<Method> methods;
    private final Map<Method, Totals> totals = new LinkedHashMap<>();
    private final Map<String, Map<Method, List<Integer>>> tokens = new LinkedHashMap<>();
    /** "task method" of the runs whose divergence from the baseline is not the method's (tie or baseline off the reference). */
    private final Set<String> explained = new HashSet<>();

    BenchSummary(List<Method> methods) {
        this.methods = methods;
        for (Method m : methods) totals.put(m, new Totals());
    }

    void add(JsonNode r) {
        Method m;
        try {
            m = Method.parse(r.path("method").asText());
        } catch (IllegalArgumentException e) {
            return;
        }
        Totals t = totals.get(m);
        if (t == null) return;
        JsonNode toks = r.path("tokens");
        JsonNode stats = r.path("stats"), ms = stats.path("ms");
        t.tokens += toks.size();
        t.seconds += r.path("seconds").asDouble();
        t.decodeSeconds += r.has("decode_seconds") ? r.path("decode_seconds").asDouble()
                : (ms.path("total").asDouble() - ms.path("prefill").asDouble()) / 1e3;
        int calls = stats.path("oracle_forwards").asInt();
        t.acceptedSum += stats.path("mean_accepted_per_oracle_call").asDouble() * calls;
        t.calls += calls;
        t.draftForwards += stats.path("draft_forwards").asInt();
        t.bytes += stats.path("bytes_read").asDouble();
        for (int i = 0; i < STAGES.length; i++) t.stageMs[i] += ms.path(STAGES[i]).asDouble();
        stats.path("accepted_histogram").fields().forEachRemaining(e -> t.acceptedHistogram.merge(Integer.parseInt(e.getKey()), e.getValue().asLong(), Long::sum));
        for (JsonNode o : r.path("origins")) t.origins[TokenOrigin.valueOf(o.asText()).ordinal()]++;
        List<Integer> list = new ArrayList<>();
        toks.forEach(x -> list.add(x.asInt()));
        tokens.computeIfAbsent(r.path("task_id").asText(), k -> new LinkedHashMap<>()).put(m, list);
        String verdict = r.path("greedy_divergence").path("verdict").asText("");
        if (verdict.equals("tie") || verdict.equals("reference_prefers_method")) explained.add(r.path("task_id").asText() + " " + m);
    }

    /** The tokens {@code method} generated for {@code task}, or null if it has not run. */
    int[] tokens(String task, Method method) {
        List<Integer> t = tokens.getOrDefault(task, Map.of()).get(method);
        return t == null ? null : t.stream().mapToInt(Integer::intValue).toArray();
    }

    double rate(Method m) {
        Totals t = totals.get(m);
        return t == null || t.seconds == 0 ? 0 : t.tokens / t.seconds;
    }

    double decodeRate(Method m) {
        Totals t = totals.get(m);
        return t == null || t.decodeSeconds == 0 ? 0 : t.tokens / t.decodeSeconds;
    }

    void print(PrintStream out, String header, boolean greedy) {
        out.println(header);
        out.printf(Locale.ROOT, "%-12s %8s %10s %9s %10s %9s %8s %9s %8s %22s%n", "method", "tokens", "tokens/s", "vs base", "decode t/s",
                "vs base", "acc/call", "draft/tok", "GB/s", "origin n-gram/draft/oracle");
        double base = rate(Method.BASELINE), baseDecode = decodeRate(Method.BASELINE);
        for (Method m : methods) {
            Totals t = totals.get(m);
            long all = Math.max(1, Arrays.stream(t.origins).sum());
            out.printf(Locale.ROOT, "%-12s %8.0f %10.2f %9s %10.2f %9s %8.2f %9.2f %8.1f %8.1f%%/%5.1f%%/%5.1f%%%n", m.flagName(), t.tokens, rate(m),
                    ratio(rate(m), base), decodeRate(m), ratio(decodeRate(m), baseDecode), t.calls == 0 ? 0 : t.acceptedSum / t.calls,
                    t.tokens == 0 ? 0 : t.draftForwards / t.tokens, t.decodeSeconds == 0 ? 0 : t.bytes / t.decodeSeconds / 1e9,
                    100.0 * t.origins[TokenOrigin.NGRAM.ordinal()] / all, 100.0 * t.origins[TokenOrigin.DRAFT.ordinal()] / all,
                    100.0 * t.origins[TokenOrigin.ORACLE.ordinal()] / all);
        }
        out.println("ms per generated token by stage (prefill: the prompt's forwards, not in decode t/s):");
        out.printf(Locale.ROOT, "%-12s %9s %9s %9s %12s %9s%n", "method", STAGES[0], STAGES[1], STAGES[2], STAGES[3], STAGES[4]);
        for (Method m : methods) {
            Totals t = totals.get(m);
            double n = Math.max(1, t.tokens);
            out.printf(Locale.ROOT, "%-12s %9.3f %9.3f %9.3f %12.3f %9.3f%n", m.flagName(), t.stageMs[0] / n, t.stageMs[1] / n, t.stageMs[2] / n,
                    t.stageMs[3] / n, t.stageMs[4] / n);
        }
        for (Method m : methods) {
            Totals t = totals.get(m);
            if (m == Method.BASELINE || t.calls == 0) continue;
            out.println(m.flagName() + " acceptance by position (share of oracle calls accepting at least i proposals): " + acceptanceByPosition(t));
        }
        if (greedy && methods.contains(Method.BASELINE)) out.println(greedyAgreement());
    }

    private static String acceptanceByPosition(Totals t) {
        int most = t.acceptedHistogram.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= Math.min(most, 12); i++) {
            long atLeast = 0;
            for (Map.Entry<Integer, Long> e : t.acceptedHistogram.entrySet()) if (e.getKey() >= i) atLeast += e.getValue();
            sb.append(String.format(Locale.ROOT, "%s%d: %.2f", i == 1 ? "" : ", ", i, atLeast / t.calls));
        }
        return sb.length() == 0 ? "none accepted" : sb.toString();
    }

    private static String ratio(double x, double base) {
        return base > 0 ? String.format(Locale.ROOT, "%.2fx", x / base) : "-";
    }

    /**
     * Whether greedy runs gave the baseline's tokens: yes; yes up to rounding (every differing run parts from the
     * baseline at a numerical tie, or where the reference forward prefers the method's token); or NO, with how many
     * runs differ in a way rounding does not explain.
     */
    String greedyAgreement() {
        int differing = 0, fine = 0;
        for (Map.Entry<String, Map<Method, List<Integer>>> task : tokens.entrySet()) {
            List<Integer> ref = task.getValue().get(Method.BASELINE);
            for (Map.Entry<Method, List<Integer>> run : task.getValue().entrySet()) {
                if (ref == null || ref.equals(run.getValue())) continue;
                differing++;
                if (explained.contains(task.getKey() + " " + run.getKey())) fine++;
            }
        }
        if (differing == 0) return "greedy outputs identical to the baseline: yes";
        if (fine == differing) {
            return String.format(Locale.ROOT, "greedy outputs identical to the baseline up to rounding: yes (%d runs part from it at a "
                    + "numerical tie or where the reference forward prefers their token; see greedy_divergence in the results)", fine);
        }
        return String.format(Locale.ROOT, "greedy outputs identical to the baseline: NO (%d differing runs, %d of them not explained by rounding)",
                differing, differing - fine);
    }
}

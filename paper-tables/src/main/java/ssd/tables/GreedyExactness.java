package ssd.tables;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether greedy speculative and staged decoding gave the baseline's tokens, per setup (device, dtype) and method: each
 * greedy run is compared token for token with the baseline run of the same task and setup; a run that differs is
 * judged by the {@code greedy_divergence} verdict bench-decode recorded for it (a numerical tie, the reference forward
 * preferring the method's token, or a mismatch), or counted as unjudged when the record has none.
 */
public final class GreedyExactness {
    /** One setup and method's greedy runs. */
    public record Row(String setup, String method, int compared, int identical, int ties, int referencePrefersMethod, int mismatches,
                      int unjudged, int withoutBaseline) {
        public int differing() {
            return compared - identical;
        }

        /** "exact", "exact up to rounding" (every difference a tie or the reference's own choice), or "NOT exact". */
        public String verdict() {
            if (compared == 0) return "no baseline to compare with";
            if (identical == compared) return "exact";
            return mismatches == 0 && unjudged == 0 ? "exact up to rounding" : "NOT exact";
        }
    }

    private GreedyExactness() {
    }

    /** One row per setup and non-baseline method that has greedy runs, in order of appearance. */
    public static List<Row> of(List<DecodeRun> runs) {
        Map<String, int[]> baselines = new LinkedHashMap<>();
        Map<String, DecodeRun> baselineRuns = new LinkedHashMap<>();
        for (DecodeRun r : runs)
            if (r.sampling().greedy() && r.method().equals(PaperTables.BASELINE)) baselineRuns.putIfAbsent(TableLabels.setup(r) + "\n" + r.taskId(), r);
        baselineRuns.forEach((k, r) -> baselines.put(k, r.tokens()));
        Map<String, int[]> counts = new LinkedHashMap<>(); // setup\nmethod -> compared, identical, tie, prefers, mismatch, unjudged, no baseline
        for (DecodeRun r : runs) {
            if (!r.sampling().greedy() || r.method().equals(PaperTables.BASELINE)) continue;
            int[] c = counts.computeIfAbsent(TableLabels.setup(r) + "\n" + r.method(), k -> new int[7]);
            int[] base = baselines.get(TableLabels.setup(r) + "\n" + r.taskId());
            if (base == null) {
                c[6]++;
                continue;
            }
            c[0]++;
            if (Arrays.equals(base, r.tokens())) c[1]++;
            else if (r.greedyDivergence() == null) c[5]++;
            else c[switch (r.greedyDivergence().verdict()) {
                    case TIE -> 2;
                    case REFERENCE_PREFERS_METHOD -> 3;
                    case MISMATCH -> 4;
                }]++;
        }
        List<Row> rows = new ArrayList<>();
        counts.forEach((key, c) -> {
            String[] parts = key.split("\n", 2);
            rows.add(new Row(parts[0], parts[1], c[0], c[1], c[2], c[3], c[4], c[5], c[6]));
        });
        return rows;
    }

    /** The rows as text cells, header first. */
    public static List<List<String>> grid(List<Row> rows) {
        List<List<String>> out = new ArrayList<>();
        out.add(List.of("device, dtype", "method", "greedy runs compared", "identical", "tie", "reference prefers method", "mismatch",
                "differs, no verdict recorded", "no baseline run", "verdict"));
        for (Row r : rows)
            out.add(List.of(r.setup(), r.method(), Integer.toString(r.compared()), Integer.toString(r.identical()), Integer.toString(r.ties()),
                    Integer.toString(r.referencePrefersMethod()), Integer.toString(r.mismatches()), Integer.toString(r.unjudged()), Integer.toString(r.withoutBaseline()), r.verdict()));
        return out;
    }
}

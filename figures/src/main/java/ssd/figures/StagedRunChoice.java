package ssd.figures;

import ssd.tables.DecodeRun;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Which staged run Figure 3 shows: the one with the highest speedup over its baseline, optionally among one task's. */
public final class StagedRunChoice {
    private StagedRunChoice() {
    }

    /**
     * @param task a task id, or null for any
     * @return empty if there is no staged run; throws if {@code task} names one with no staged run
     */
    public static Optional<DecodeRun> choose(List<DecodeRun> runs, String task) {
        Map<String, Double> baseline = new HashMap<>();
        for (DecodeRun r : runs) if (r.method().equals("baseline")) baseline.put(key(r), r.tokensPerSecond());
        DecodeRun best = null;
        double bestSpeedup = Double.NEGATIVE_INFINITY;
        for (DecodeRun r : runs) {
            if (!r.method().equals("staged") || (task != null && !r.taskId().equals(task))) continue;
            Double base = baseline.get(key(r));
            double speedup = base == null ? Double.NEGATIVE_INFINITY : r.tokensPerSecond() / base;
            if (best == null || speedup > bestSpeedup) {
                best = r;
                bestSpeedup = speedup;
            }
        }
        if (best == null && task != null) throw new IllegalArgumentException("no staged run of task '" + task + "' in the results");
        return Optional.ofNullable(best);
    }

    /** The staged run's speedup over its baseline, NaN without one. */
    public static double speedup(List<DecodeRun> runs, DecodeRun staged) {
        for (DecodeRun r : runs)
            if (r.method().equals("baseline") && key(r).equals(key(staged))) return staged.tokensPerSecond() / r.tokensPerSecond();
        return Double.NaN;
    }

    private static String key(DecodeRun r) {
        return FigureLabels.setup(r) + "\u0000" + r.sampling() + "\u0000" + r.taskId();
    }
}

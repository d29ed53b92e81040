package ssd.tables;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Greedy exactness per setup and method: token-for-token against the baseline, differences judged by the recorded verdict. */
class GreedyExactnessTest {
    private static final RunStats STATS = new RunStats(1, 1.0, 1, 1, 0);

    private static DecodeRun run(String task, String method, String dtype, Sampling s, int[] tokens, Divergence.Verdict verdict) {
        List<Origin> origins = java.util.Collections.nCopies(tokens.length, Origin.ORACLE);
        return new DecodeRun(task, method, "GPU", dtype, s, tokens, origins, "x", 1, 1, STATS,
                verdict == null ? null : new Divergence(1, verdict), null);
    }

    @Test
    void countsIdenticalRunsAndJudgesTheOthersByTheirVerdict() {
        Sampling greedy = new Sampling(0, 0), topk = new Sampling(1, 50);
        int[] a = {1, 2, 3}, b = {1, 9, 3};
        List<DecodeRun> runs = List.of(
                run("t/0", "baseline", "fp16", greedy, a, null), run("t/1", "baseline", "fp16", greedy, a, null),
                run("t/0", "staged", "fp16", greedy, a, null), run("t/1", "staged", "fp16", greedy, b, Divergence.Verdict.TIE),
                run("t/0", "speculative", "fp16", greedy, b, Divergence.Verdict.REFERENCE_PREFERS_METHOD),
                run("t/1", "speculative", "fp16", greedy, b, Divergence.Verdict.MISMATCH),
                run("t/2", "speculative", "fp16", greedy, b, null), // no baseline for t/2
                run("t/0", "staged", "fp16", topk, b, null), // sampled: not compared
                run("t/0", "baseline", "fp32", greedy, a, null), run("t/0", "staged", "fp32", greedy, b, null)); // differs, no verdict
        List<GreedyExactness.Row> rows = GreedyExactness.of(runs);
        assertThat(rows).containsExactly(
                new GreedyExactness.Row("GPU, fp16", "staged", 2, 1, 1, 0, 0, 0, 0),
                new GreedyExactness.Row("GPU, fp16", "speculative", 2, 0, 0, 1, 1, 0, 1),
                new GreedyExactness.Row("GPU, fp32", "staged", 1, 0, 0, 0, 0, 1, 0));
        assertThat(rows).extracting(GreedyExactness.Row::verdict).containsExactly("exact up to rounding", "NOT exact", "NOT exact");
        assertThat(new GreedyExactness.Row("s", "staged", 3, 3, 0, 0, 0, 0, 0).verdict()).isEqualTo("exact");
        assertThat(GreedyExactness.grid(rows).get(1)).containsExactly("GPU, fp16", "staged", "2", "1", "1", "0", "0", "0", "0", "exact up to rounding");
    }
}

package ssd.figures;

/**
 * One prompt's throughput relative to the baseline on the same setup and sampling mode; NaN where the method was not run.
 */
public record PromptSpeedup(String taskId, double staged, double speculative) {
    /** What Figure 2 sorts by: the staged speedup, or the speculative one where staged is missing. */
    double sortKey() {
        return Double.isNaN(staged) ? speculative : staged;
    }
}

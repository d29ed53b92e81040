package ssd.figures;

import java.util.Map;

/**
 * One prompt's throughput relative to the baseline on the same setup and sampling mode; NaN where the method was not
 * run. {@code peers}: the peers' (stock transformers decoding) that decoded this prompt, by method, in first-seen order.
 */
public record PromptSpeedup(String taskId, double staged, double speculative, Map<String, Double> peers) {
    public PromptSpeedup {
        peers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(peers));
    }

    public PromptSpeedup(String taskId, double staged, double speculative) {
        this(taskId, staged, speculative, Map.of());
    }

    /** What Figure 2 sorts by: the staged speedup, or the speculative one where staged is missing. */
    double sortKey() {
        return Double.isNaN(staged) ? speculative : staged;
    }
}

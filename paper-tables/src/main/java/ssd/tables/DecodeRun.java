package ssd.tables;

import ssd.roofline.trace.DecodingTrace;

import java.util.List;

/**
 * One {@code ssd bench-decode} record: one method on one prompt. What Tables 1-2, Figures 2-3 and the report read of it.
 *
 * @param method            baseline, speculative or staged
 * @param tokens            the generated token ids
 * @param origins           which model produced each generated token
 * @param text              the decoded completion
 * @param seconds           the decode's wall time
 * @param tokensPerSecond   as the record gives it (the figures plot this value, so it is not recomputed from seconds)
 * @param greedyDivergence  where a greedy run first left the baseline's tokens, as bench-decode judged it; null when the
 *                          record has none (identical tokens, a baseline, a sampled run, or no baseline to compare with)
 * @param trace             the call-by-call trace the simulator replays; null when the record has none
 */
public record DecodeRun(String taskId, String method, String device, String dtype, Sampling sampling, int[] tokens,
                        List<Origin> origins, String text, double seconds, double tokensPerSecond, RunStats stats,
                        Divergence greedyDivergence, DecodingTrace trace) {
    public DecodeRun {
        origins = List.copyOf(origins);
        if (tokens.length != origins.size())
            throw new IllegalArgumentException(tokens.length + " tokens but " + origins.size() + " origins");
    }

    /** A record without divergence and trace. */
    public DecodeRun(String taskId, String method, String device, String dtype, Sampling sampling, int[] tokens,
                     List<Origin> origins, String text, double seconds, double tokensPerSecond, RunStats stats) {
        this(taskId, method, device, dtype, sampling, tokens, origins, text, seconds, tokensPerSecond, stats, null, null);
    }

    public int tokenCount() {
        return tokens.length;
    }

    /** How many generated tokens came from {@code origin}. */
    public int count(Origin origin) {
        return (int) origins.stream().filter(o -> o == origin).count();
    }
}

package ssd.tables;

import ssd.roofline.trace.DecodingTrace;

import java.util.List;

/**
 * One {@code ssd bench-decode} record: one method on one prompt; or a peer's record (stock transformers decoding,
 * {@code tools/peers/hf_peers.py}) in the same schema. What Tables 1-2, Figures 2-3 and the report read of it.
 *
 * @param method            baseline, speculative or staged; a peer's method (hf-generate, hf-assisted, ...)
 * @param tokens            the generated token ids
 * @param origins           which model produced each generated token (empty for a peer: it does not say)
 * @param text              the decoded completion (null for a peer: it records token ids only)
 * @param seconds           the decode's wall time
 * @param tokensPerSecond   as the record gives it (the figures plot this value, so it is not recomputed from seconds)
 * @param stats             forwards, acceptance and bytes read (null for a peer: see {@link Peer})
 * @param greedyDivergence  where a greedy run first left the baseline's tokens, as bench-decode judged it; null when the
 *                          record has none (identical tokens, a baseline, a sampled run, or no baseline to compare with)
 * @param trace             the call-by-call trace the simulator replays; null when the record has none
 * @param peer              null for our methods
 */
public record DecodeRun(String taskId, String method, String device, String dtype, Sampling sampling, int[] tokens,
                        List<Origin> origins, String text, double seconds, double tokensPerSecond, RunStats stats,
                        Divergence greedyDivergence, DecodingTrace trace, Peer peer) {
    public DecodeRun {
        origins = List.copyOf(origins);
        if (peer == null && tokens.length != origins.size())
            throw new IllegalArgumentException(tokens.length + " tokens but " + origins.size() + " origins");
        if (peer == null && (text == null || stats == null)) throw new IllegalArgumentException("a run of our methods needs its text and stats");
        if (peer != null && !origins.isEmpty()) throw new IllegalArgumentException("a peer's run records no token origins");
    }

    /** A peer's run (no divergence verdict, no trace). */
    public DecodeRun(String taskId, String method, String device, String dtype, Sampling sampling, int[] tokens,
                     List<Origin> origins, String text, double seconds, double tokensPerSecond, RunStats stats, Peer peer) {
        this(taskId, method, device, dtype, sampling, tokens, origins, text, seconds, tokensPerSecond, stats, null, null, peer);
    }

    /** One of our methods' runs with its divergence verdict and trace (either may be null). */
    public DecodeRun(String taskId, String method, String device, String dtype, Sampling sampling, int[] tokens,
                     List<Origin> origins, String text, double seconds, double tokensPerSecond, RunStats stats,
                     Divergence greedyDivergence, DecodingTrace trace) {
        this(taskId, method, device, dtype, sampling, tokens, origins, text, seconds, tokensPerSecond, stats, greedyDivergence, trace, null);
    }

    public boolean isPeer() {
        return peer != null;
    }

    /** One of our methods' runs without divergence and trace. */
    public DecodeRun(String taskId, String method, String device, String dtype, Sampling sampling, int[] tokens,
                     List<Origin> origins, String text, double seconds, double tokensPerSecond, RunStats stats) {
        this(taskId, method, device, dtype, sampling, tokens, origins, text, seconds, tokensPerSecond, stats, null, null, null);
    }

    public int tokenCount() {
        return tokens.length;
    }

    /** How many generated tokens came from {@code origin}. */
    public int count(Origin origin) {
        return (int) origins.stream().filter(o -> o == origin).count();
    }
}

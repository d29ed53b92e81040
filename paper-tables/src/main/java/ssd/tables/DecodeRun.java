package ssd.tables;

import java.util.List;

/**
 * One {@code ssd bench-decode} record: one method on one prompt; or a peer's record (stock transformers decoding,
 * {@code tools/peers/hf_peers.py}) in the same schema. What Tables 1-2 and Figures 2-3 read of it.
 *
 * @param method          baseline, speculative or staged; a peer's method (hf-generate, hf-assisted, ...)
 * @param tokens          the generated token ids
 * @param origins         which model produced each generated token (empty for a peer: it does not say)
 * @param text            the decoded completion (null for a peer: it records token ids only)
 * @param seconds         the decode's wall time
 * @param tokensPerSecond as the record gives it (the figures plot this value, so it is not recomputed from seconds)
 * @param stats           forwards, acceptance and bytes read (null for a peer: see {@link Peer})
 * @param peer            null for our methods
 */
public record DecodeRun(String taskId, String method, String device, String dtype, Sampling sampling, int[] tokens,
                        List<Origin> origins, String text, double seconds, double tokensPerSecond, RunStats stats, Peer peer) {
    public DecodeRun {
        origins = List.copyOf(origins);
        if (peer == null && tokens.length != origins.size())
            throw new IllegalArgumentException(tokens.length + " tokens but " + origins.size() + " origins");
        if (peer == null && (text == null || stats == null)) throw new IllegalArgumentException("a run of our methods needs its text and stats");
        if (peer != null && !origins.isEmpty()) throw new IllegalArgumentException("a peer's run records no token origins");
    }

    /** One of our methods' runs (no peer). */
    public DecodeRun(String taskId, String method, String device, String dtype, Sampling sampling, int[] tokens,
                     List<Origin> origins, String text, double seconds, double tokensPerSecond, RunStats stats) {
        this(taskId, method, device, dtype, sampling, tokens, origins, text, seconds, tokensPerSecond, stats, null);
    }

    public boolean isPeer() {
        return peer != null;
    }

    public int tokenCount() {
        return tokens.length;
    }

    /** How many generated tokens came from {@code origin}. */
    public int count(Origin origin) {
        return (int) origins.stream().filter(o -> o == origin).count();
    }
}

package ssd.tables;

import java.util.List;

/**
 * One {@code ssd bench-decode} record: one method on one prompt. What Tables 1-2 and Figures 2-3 read of it.
 *
 * @param method          baseline, speculative or staged
 * @param tokens          the generated token ids
 * @param origins         which model produced each generated token
 * @param text            the decoded completion
 * @param seconds         the decode's wall time
 * @param tokensPerSecond as the record gives it (the figures plot this value, so it is not recomputed from seconds)
 */
public record DecodeRun(String taskId, String method, String device, String dtype, Sampling sampling, int[] tokens,
                        List<Origin> origins, String text, double seconds, double tokensPerSecond, RunStats stats) {
    public DecodeRun {
        origins = List.copyOf(origins);
        if (tokens.length != origins.size())
            throw new IllegalArgumentException(tokens.length + " tokens but " + origins.size() + " origins");
    }

    public int tokenCount() {
        return tokens.length;
    }

    /** How many generated tokens came from {@code origin}. */
    public int count(Origin origin) {
        return (int) origins.stream().filter(o -> o == origin).count();
    }
}

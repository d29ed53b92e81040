package ssd.figures;

import java.util.List;

/**
 * One line of an {@code ssd bench-decode} JSONL file: one method on one prompt.
 *
 * @param method  baseline, speculative or staged
 * @param tokens  the generated token ids
 * @param origins which model produced each generated token
 * @param text    the decoded completion
 */
public record DecodeRun(String taskId, String method, String device, String dtype, Sampling sampling, double tokensPerSecond,
                        int[] tokens, List<Origin> origins, String text) {
    public DecodeRun {
        origins = List.copyOf(origins);
        if (tokens.length != origins.size())
            throw new IllegalArgumentException("task " + taskId + " (" + method + "): " + tokens.length + " tokens but " + origins.size() + " origins");
    }

    /** Runs compare with each other only on the same device, dtype and sampling mode. */
    public String setup() {
        return device + " " + dtype;
    }
}

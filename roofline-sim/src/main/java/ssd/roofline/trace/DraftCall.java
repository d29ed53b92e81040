package ssd.roofline.trace;

/**
 * One draft-model forward.
 *
 * @param prefixLen tokens already in the draft's KV cache before the call
 * @param newTokens tokens in the batch (for a tree level: the internal nodes of that depth)
 */
public record DraftCall(int prefixLen, int newTokens) {
    public DraftCall {
        if (prefixLen < 0) throw new IllegalArgumentException("prefix_len must be >= 0, got " + prefixLen);
        if (newTokens < 1) throw new IllegalArgumentException("new_tokens must be >= 1, got " + newTokens);
    }
}

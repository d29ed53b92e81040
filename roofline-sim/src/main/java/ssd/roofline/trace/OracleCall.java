package ssd.roofline.trace;

/**
 * One oracle forward.
 *
 * @param prefixLen tokens already in the oracle's KV cache before the call
 * @param newTokens tokens in the batch: the prompt for a prefill; otherwise the pending token (the last emitted one,
 *                  not yet in the cache) plus every proposed node of the chain or tree
 * @param accepted  tokens this call appended to the output: accepted proposals plus the oracle's own next token,
 *                  so 1 &lt;= accepted &lt;= newTokens (1 for a prefill and for every baseline step)
 */
public record OracleCall(int prefixLen, int newTokens, int accepted) {
    public OracleCall {
        if (prefixLen < 0) throw new IllegalArgumentException("prefix_len must be >= 0, got " + prefixLen);
        if (newTokens < 1) throw new IllegalArgumentException("new_tokens must be >= 1, got " + newTokens);
        if (accepted < 1 || accepted > newTokens) {
            throw new IllegalArgumentException("accepted must be between 1 and new_tokens (" + newTokens + "), got " + accepted);
        }
    }
}

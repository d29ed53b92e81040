package ssd.roofline.trace;

import ssd.common.Dtype;
import ssd.roofline.ModelShape;

import java.util.ArrayList;
import java.util.List;

/**
 * What one decoding run did, call by call: the input to method-level prediction. The decoder writes it with
 * {@link TraceJson}; the format is documented there and in docs/roofline-sim.md.
 *
 * <p>Invariants (checked here): the accepted counts of the oracle calls add up to {@code generatedTokens}; a trace
 * with draft calls names its draft shape; a baseline trace has no draft calls, no n-gram queries and every oracle
 * call after the first has exactly one new token.
 *
 * @param method          baseline, speculative or staged
 * @param oracle          oracle model shape
 * @param draft           draft model shape; null when there is no draft model
 * @param dtype           dtype of both models
 * @param generatedTokens tokens produced (not counting the prompt)
 * @param oracleCalls     oracle forwards in order, the prompt prefill included if it was timed
 * @param draftCalls      draft forwards in order
 * @param ngramQueries    n-gram (draft-of-draft) lookups
 */
public record DecodingTrace(Method method, ModelShape oracle, ModelShape draft, Dtype dtype, int generatedTokens,
                            List<OracleCall> oracleCalls, List<DraftCall> draftCalls, long ngramQueries) {

    public DecodingTrace {
        if (method == null) throw new IllegalArgumentException("method is required");
        if (oracle == null) throw new IllegalArgumentException("oracle shape is required");
        if (dtype == null) throw new IllegalArgumentException("dtype is required");
        oracleCalls = List.copyOf(oracleCalls);
        draftCalls = List.copyOf(draftCalls);
        if (generatedTokens < 1) throw new IllegalArgumentException("generated_tokens must be >= 1, got " + generatedTokens);
        if (ngramQueries < 0) throw new IllegalArgumentException("ngram_queries must be >= 0, got " + ngramQueries);
        if (oracleCalls.isEmpty()) throw new IllegalArgumentException("oracle_calls must not be empty");
        long accepted = 0;
        for (OracleCall c : oracleCalls) accepted += c.accepted();
        if (accepted != generatedTokens) {
            throw new IllegalArgumentException("the oracle calls' accepted counts add up to " + accepted
                    + " but generated_tokens is " + generatedTokens);
        }
        if (!draftCalls.isEmpty() && draft == null) throw new IllegalArgumentException("draft_calls given but draft is null");
        if (method == Method.BASELINE) {
            if (!draftCalls.isEmpty() || ngramQueries > 0) {
                throw new IllegalArgumentException("a baseline trace has no draft calls and no n-gram queries");
            }
            for (int i = 1; i < oracleCalls.size(); i++) {
                if (oracleCalls.get(i).newTokens() != 1) {
                    throw new IllegalArgumentException("baseline oracle_calls[" + i + "] has new_tokens "
                            + oracleCalls.get(i).newTokens() + "; baseline steps take one token");
                }
            }
        }
    }

    /** Total tokens the oracle processed. */
    public long oracleTokens() {
        long s = 0;
        for (OracleCall c : oracleCalls) s += c.newTokens();
        return s;
    }

    /** Mean tokens appended per oracle call. */
    public double meanAcceptedPerCall() {
        return (double) generatedTokens / oracleCalls.size();
    }

    /**
     * The baseline run for the same prompt and output length: the first oracle call (prefill, or first step) as
     * recorded, then one 1-token step per further generated token at a growing prefix.
     */
    public DecodingTrace baselineEquivalent() {
        OracleCall first = oracleCalls.get(0);
        List<OracleCall> calls = new ArrayList<>(generatedTokens);
        calls.add(new OracleCall(first.prefixLen(), first.newTokens(), 1));
        int prefix = first.prefixLen() + first.newTokens();
        for (int i = 1; i < generatedTokens; i++) calls.add(new OracleCall(prefix++, 1, 1));
        return new DecodingTrace(Method.BASELINE, oracle, null, dtype, generatedTokens, calls, List.of(), 0);
    }
}

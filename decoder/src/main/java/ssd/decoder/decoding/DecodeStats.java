package ssd.decoder.decoding;

import ssd.decoder.forward.ForwardStats;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counters of one generation: forwards per model with their traffic, per-oracle-call acceptance, n-gram queries,
 * and wall time split by stage. Filled in by a decoder while it runs.
 */
public final class DecodeStats {
    /** One oracle forward: its traffic and how many proposed tokens it accepted (its own extra token not counted). */
    public record OracleCall(ForwardStats forward, int accepted) {
    }

    private final List<OracleCall> oracleCalls = new ArrayList<>();
    private final List<ForwardStats> draftForwards = new ArrayList<>();
    private final List<ForwardStats> prefills = new ArrayList<>();
    private long ngramQueries;
    private long prefillNanos;
    private long oracleNanos, draftNanos, ngramNanos, totalNanos;

    /** A prompt forward (any model); its time is part of the total but of no stage below. */
    public void prefill(ForwardStats forward, long nanos) {
        prefills.add(forward);
        prefillNanos += nanos;
    }

    public List<ForwardStats> prefills() {
        return Collections.unmodifiableList(prefills);
    }

    public long prefillNanos() {
        return prefillNanos;
    }

    public void oracleCall(ForwardStats forward, int accepted, long nanos) {
        oracleCalls.add(new OracleCall(forward, accepted));
        oracleNanos += nanos;
    }

    public void draftForward(ForwardStats forward, long nanos) {
        draftForwards.add(forward);
        draftNanos += nanos;
    }

    public void ngramQueries(long count, long nanos) {
        ngramQueries += count;
        ngramNanos += nanos;
    }

    void total(long nanos) {
        totalNanos = nanos;
    }

    public List<OracleCall> oracleCalls() {
        return Collections.unmodifiableList(oracleCalls);
    }

    public List<ForwardStats> draftForwards() {
        return Collections.unmodifiableList(draftForwards);
    }

    public int oracleForwardCount() {
        return oracleCalls.size();
    }

    public int draftForwardCount() {
        return draftForwards.size();
    }

    public long ngramQueryCount() {
        return ngramQueries;
    }

    /** Mean proposed tokens kept per oracle call (0 for the baseline, which proposes none). */
    public double meanAcceptedPerOracleCall() {
        return oracleCalls.isEmpty() ? 0 : oracleCalls.stream().mapToInt(OracleCall::accepted).average().orElse(0);
    }

    /** Histogram: accepted proposals -> number of oracle calls. */
    public Map<Integer, Integer> acceptedHistogram() {
        Map<Integer, Integer> h = new TreeMap<>();
        for (OracleCall c : oracleCalls) h.merge(c.accepted(), 1, Integer::sum);
        return h;
    }

    /** Histogram: tokens in the oracle's batch (tree size) -> number of oracle calls. */
    public Map<Integer, Integer> treeSizeHistogram() {
        Map<Integer, Integer> h = new TreeMap<>();
        for (OracleCall c : oracleCalls) h.merge(c.forward().newTokens(), 1, Integer::sum);
        return h;
    }

    public long oracleBytesRead() {
        return oracleCalls.stream().mapToLong(c -> c.forward().bytesRead()).sum();
    }

    public long draftBytesRead() {
        return draftForwards.stream().mapToLong(ForwardStats::bytesRead).sum();
    }

    /** Bytes of weights and KV cache read by every decoding forward of every model (prompt forwards excluded). */
    public long bytesRead() {
        return oracleBytesRead() + draftBytesRead();
    }

    public long oracleNanos() {
        return oracleNanos;
    }

    public long draftNanos() {
        return draftNanos;
    }

    public long ngramNanos() {
        return ngramNanos;
    }

    public long totalNanos() {
        return totalNanos;
    }

    /** Time not spent in a model or the n-gram: tree building, verification, stop checks. */
    public long bookkeepingNanos() {
        return Math.max(0, totalNanos - prefillNanos - oracleNanos - draftNanos - ngramNanos);
    }
}

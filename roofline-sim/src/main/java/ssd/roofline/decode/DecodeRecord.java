package ssd.roofline.decode;

import ssd.roofline.trace.DecodingTrace;
import ssd.roofline.trace.Method;
import ssd.roofline.trace.OracleCall;

import java.util.List;

/**
 * What the host-time model reads of one {@code bench-decode} record: the run's trace (call by call) and its measured
 * stage times. Read with {@link DecodeRecords}.
 *
 * @param taskId    the prompt's id
 * @param device    the device the record names, e.g. "NVIDIA H200"
 * @param sampling  "greedy" or "top-k K, T=X"
 * @param trace     the run's forwards
 * @param measured  measured decoding time by stage ({@code stats.ms} without the prompt forwards)
 * @param bytesRead weight and KV bytes the decoder counted for its decoding forwards ({@code stats.bytes_read})
 */
public record DecodeRecord(String taskId, String device, String sampling, DecodingTrace trace, StageTimes measured, long bytesRead) {

    public DecodeRecord {
        if (trace == null || measured == null) throw new IllegalArgumentException("a record needs a trace and stage times");
    }

    public Method method() {
        return trace.method();
    }

    /**
     * The oracle calls of the decoding phase: the baseline's first call is its prompt forward (it yields the first
     * token), the other methods' traces leave the prompt forward out.
     */
    public List<OracleCall> decodeOracleCalls() {
        return decodeOracleCalls(trace);
    }

    static List<OracleCall> decodeOracleCalls(DecodingTrace t) {
        List<OracleCall> calls = t.oracleCalls();
        return t.method() == Method.BASELINE ? calls.subList(1, calls.size()) : calls;
    }

    /** Tokens the decoding phase emitted (the baseline's first token comes from its prompt forward). */
    public long decodeTokens() {
        return decodeTokens(trace);
    }

    static long decodeTokens(DecodingTrace t) {
        long s = 0;
        for (OracleCall c : decodeOracleCalls(t)) s += c.accepted();
        return s;
    }
}

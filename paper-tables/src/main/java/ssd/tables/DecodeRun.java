package ssd.tables;

import java.math.BigDecimal;

/**
 * One {@code ssd bench-decode} record (one method on one prompt), reduced to what Tables 1 and 2 need.
 *
 * @param acceptedPerOracleCall the record's {@code stats.mean_accepted_per_oracle_call}
 * @param ngramTokens           generated tokens whose origin is NGRAM (likewise draft and oracle)
 */
public record DecodeRun(String taskId, String method, String device, String dtype, double temperature, int topK,
                        int tokens, double seconds, long bytesRead, long oracleBytesRead, long draftBytesRead,
                        long oracleForwards, double acceptedPerOracleCall, int ngramTokens, int draftTokens, int oracleTokens) {

    public boolean greedy() {
        return temperature == 0;
    }

    /** "greedy", or "top-k (k=50, T=1)" ("sampling (T=...)" when no top-k cut-off was set). */
    public String samplingMode() {
        if (greedy()) return "greedy";
        String t = BigDecimal.valueOf(temperature).stripTrailingZeros().toPlainString();
        return topK > 0 ? "top-k (k=" + topK + ", T=" + t + ")" : "sampling (T=" + t + ")";
    }

    /** Device and dtype: runs are only compared with a baseline of the same setup. */
    public String setup() {
        return device + ", " + dtype;
    }
}

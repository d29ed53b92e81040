package ssd.tables;

/**
 * The part of a record's {@code stats} that the tables use.
 *
 * @param acceptedPerOracleCall {@code mean_accepted_per_oracle_call}
 * @param bytesRead             weight and KV bytes read by oracle and draft forwards ({@code bytes_read}), split into
 *                              {@code oracleBytesRead} and {@code draftBytesRead}
 */
public record RunStats(long oracleForwards, double acceptedPerOracleCall, long bytesRead, long oracleBytesRead, long draftBytesRead) {
}

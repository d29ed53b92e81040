package ssd.tables;

/**
 * What a peer's record ({@code tools/peers/hf_peers.py}: stock transformers decoding on our prompts, checkpoints and
 * card) says beyond the fields every run has. Peers record no token origins, no decoded text and no byte accounting.
 *
 * @param implementation        what decoded, e.g. "transformers 5.17.0"
 * @param oracleForwards        the oracle forwards the peer counted ({@code stats.oracle_forwards}), -1 where it did not
 * @param acceptedPerOracleCall proposed tokens accepted per oracle forward ({@code stats.mean_accepted_per_oracle_call}),
 *                              NaN where the peer did not count
 */
public record Peer(String implementation, long oracleForwards, double acceptedPerOracleCall) {
    public Peer {
        if (implementation == null || implementation.isBlank()) throw new IllegalArgumentException("a peer must name its implementation");
    }

    public boolean countedForwards() {
        return oracleForwards >= 0 && !Double.isNaN(acceptedPerOracleCall);
    }
}

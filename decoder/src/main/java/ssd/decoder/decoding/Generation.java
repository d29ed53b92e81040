package ssd.decoder.decoding;

import java.util.List;

/** The result of one generate call: ids, their origins, decoded text, why it stopped, and its statistics. */
public record Generation(int[] promptTokens, int[] tokens, List<TokenOrigin> origins, String text, StopReason stopReason,
                         DecodeStats stats) {
    public double msPerToken() {
        return tokens.length == 0 ? 0 : stats.totalNanos() / 1e6 / tokens.length;
    }

    public double tokensPerSecond() {
        return stats.totalNanos() == 0 ? 0 : tokens.length / (stats.totalNanos() / 1e9);
    }
}

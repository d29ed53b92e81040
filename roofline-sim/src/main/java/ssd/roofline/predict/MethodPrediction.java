package ssd.roofline.predict;

import java.util.List;

/**
 * Predicted cost of one decoding run (or the sum of several runs of the same method).
 *
 * @param method          baseline, speculative or staged (or a label for a what-if)
 * @param device          device name
 * @param generatedTokens tokens produced
 * @param oracleCalls     oracle forwards
 * @param oracleSeconds   time in oracle forwards, KV commits included
 * @param draftSeconds    time in draft forwards
 * @param ngramSeconds    time in n-gram lookups
 * @param flops           FLOPs executed (all forwards, rejected tokens included)
 * @param dramBytes       DRAM bytes moved
 * @param weightBytes     the part of dramBytes that is weights
 */
public record MethodPrediction(String method, String device, long generatedTokens, long oracleCalls, double oracleSeconds,
                               double draftSeconds, double ngramSeconds, double flops, double dramBytes, double weightBytes) {

    public double wallSeconds() {
        return oracleSeconds + draftSeconds + ngramSeconds;
    }

    public double tokensPerSecond() {
        return generatedTokens / wallSeconds();
    }

    public double dramBytesPerToken() {
        return dramBytes / generatedTokens;
    }

    public double meanTokensPerOracleCall() {
        return (double) generatedTokens / oracleCalls;
    }

    /** Executed FLOPs per DRAM byte: the x coordinate on a roofline plot. */
    public double arithmeticIntensity() {
        return flops / dramBytes;
    }

    /** Executed FLOPs per second of wall time: the y coordinate on a roofline plot. */
    public double achievedFlopsPerSecond() {
        return flops / wallSeconds();
    }

    /** Sums runs of one method (e.g. one trace per prompt). */
    public static MethodPrediction sum(List<MethodPrediction> parts) {
        if (parts.isEmpty()) throw new IllegalArgumentException("nothing to sum");
        MethodPrediction first = parts.get(0);
        long gen = 0, calls = 0;
        double o = 0, d = 0, n = 0, f = 0, b = 0, w = 0;
        for (MethodPrediction p : parts) {
            if (!p.method.equals(first.method) || !p.device.equals(first.device)) {
                throw new IllegalArgumentException("cannot sum predictions of different methods or devices");
            }
            gen += p.generatedTokens;
            calls += p.oracleCalls;
            o += p.oracleSeconds;
            d += p.draftSeconds;
            n += p.ngramSeconds;
            f += p.flops;
            b += p.dramBytes;
            w += p.weightBytes;
        }
        return new MethodPrediction(first.method, first.device, gen, calls, o, d, n, f, b, w);
    }
}

package ssd.decoder.decoding;

import ssd.decoder.cache.KVCache;
import ssd.decoder.forward.Forward;
import ssd.decoder.forward.Readout;
import ssd.decoder.model.GPT2Model;

import java.util.Arrays;
import java.util.Locale;

/**
 * Milliseconds of an oracle forward and of a draft forward by batch rows, one figure per power-of-two bucket (1, 2,
 * 4, ... rows), as the device measured them: what an auto tree budget ({@link StagedConfig#autoBudget()}) weighs
 * against expected accepted tokens.
 */
public record RoundCosts(double[] oracleMsByBucket, double[] draftMsByBucket) {
    public RoundCosts {
        if (oracleMsByBucket.length == 0 || draftMsByBucket.length == 0) throw new IllegalArgumentException("round costs need at least one bucket each");
    }

    /**
     * Costs of the shape measured on an H200 for the GPT-2-L oracle with CUDA graphs and fused kernels (1-token step
     * 1.1 ms, 8-64 rows 1.5-1.6 ms) and a draft level of 0.15 ms: the default before a measurement, and a fixed
     * curve that keeps tests deterministic.
     */
    public static RoundCosts nominal() {
        return new RoundCosts(new double[]{1.10, 1.45, 1.50, 1.52, 1.53, 1.55, 1.60, 2.40}, new double[]{0.15, 0.15, 0.15, 0.16, 0.17, 0.19, 0.22, 0.30});
    }

    /**
     * Median ms of {@code reps} forwards per bucket up to {@code maxRows} rows, each with {@code readout} read back,
     * after a prefix of {@code prefix} tokens (fewer where the model's context leaves no room for that many plus the
     * largest batch).
     */
    public static double[] measure(Forward forward, int maxPending, int maxRows, int prefix, int reps, Readout readout) {
        int context = forward.model().config().nPositions();
        maxRows = Math.min(maxRows, context);
        int buckets = bucketIndex(maxRows) + 1;
        prefix = Math.max(0, Math.min(prefix, context - maxRows));
        double[] ms = new double[buckets];
        try (KVCache cache = forward.newCache(maxPending)) {
            if (prefix > 0) Prefill.chunks(forward, cache, new int[prefix], readout);
            for (int b = 0; b < buckets; b++) {
                int rows = Math.min(1 << b, maxRows);
                double[] t = new double[reps];
                for (int i = -1; i < reps; i++) {
                    long t0 = System.nanoTime();
                    forward.score(cache, new int[rows], GPT2Model.chain(rows, -1), readout); // waits for the read-back
                    if (i >= 0) t[i] = (System.nanoTime() - t0) / 1e6;
                    cache.discardPending();
                }
                Arrays.sort(t);
                ms[b] = t[reps / 2];
            }
        }
        return ms;
    }

    static int bucketIndex(int rows) {
        return 32 - Integer.numberOfLeadingZeros(Math.max(1, rows) - 1);
    }

    public double oracleMs(int rows) {
        return oracleMsByBucket[Math.min(bucketIndex(rows), oracleMsByBucket.length - 1)];
    }

    public double draftLevelMs(int rows) {
        return draftMsByBucket[Math.min(bucketIndex(rows), draftMsByBucket.length - 1)];
    }

    public String describe() {
        return String.format(Locale.ROOT, "oracle ms by bucket %s, draft ms by bucket %s", format(oracleMsByBucket), format(draftMsByBucket));
    }

    private static String format(double[] ms) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < ms.length; i++) sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", ms[i]));
        return sb.append(']').toString();
    }
}

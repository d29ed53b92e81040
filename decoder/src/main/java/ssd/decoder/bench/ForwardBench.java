package ssd.decoder.bench;

import ssd.decoder.cache.KVCache;
import ssd.decoder.forward.Forward;
import ssd.decoder.forward.ForwardStats;
import ssd.decoder.forward.Logits;
import ssd.decoder.forward.Readout;
import ssd.decoder.model.GPT2Model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Times forwards of n new tokens (a chain) on top of a prefix, each followed by one large array copy
 * ({@link CopyProbe}), so that "fraction of the copy bandwidth used by the weight stream" compares a forward with the
 * bandwidth the machine had at the same moment. Times are medians: on shared machines a few iterations stall.
 */
public final class ForwardBench {
    /**
     * One timed shape: median ms per forward (and the standard deviation), the bytes of weights and K/V it moved, and
     * the median and the fastest copy bandwidth (bytes read + written per second) measured between its forwards.
     */
    public record Result(int prefixLength, int newTokens, double msPerForward, double msStdDev, long weightBytes, long kvBytes,
                         double copyBytesPerSecond, double copyPeakBytesPerSecond) {
        /** Weight bytes per second of this forward. */
        public double weightStreamBytesPerSecond() {
            return weightBytes / (msPerForward / 1e3);
        }

        /** The weight stream as a fraction of the copy bandwidth measured alongside. */
        public double fractionOfCopyBandwidth() {
            return weightStreamBytesPerSecond() / copyBytesPerSecond;
        }
    }

    private ForwardBench() {
    }

    /**
     * @param readout what each timed forward reads back ({@link Forward#score}), as a decoding step would; null for
     *                the full logits kept on the device and their first row's argmax read (a forward alone)
     */
    public static List<Result> run(Forward forward, int prefixLength, int[] newTokenCounts, int warmup, int iterations, long seed,
                                   CopyProbe copy, Readout readout) {
        if (iterations < 1) throw new IllegalArgumentException("iterations must be at least 1, got " + iterations);
        GPT2Model model = forward.model();
        SplittableRandom rng = new SplittableRandom(seed);
        int v = model.config().vocabSize();
        int maxNew = 0;
        for (int n : newTokenCounts) maxNew = Math.max(maxNew, n);
        if (prefixLength + maxNew > model.config().nPositions()) {
            throw new IllegalArgumentException("prefix " + prefixLength + " + " + maxNew + " new tokens exceed the context of " + model.config().nPositions());
        }
        List<Result> results = new ArrayList<>();
        try (KVCache cache = forward.newCache(maxNew)) {
            if (prefixLength > 0) {
                int[] prefix = rng.ints(prefixLength, 0, v).toArray();
                forward.run(cache, prefix, GPT2Model.chain(prefixLength, -1)).close();
                cache.commit(KVCache.firstPending(prefixLength));
            }
            for (int n : newTokenCounts) {
                int[] tokens = rng.ints(n, 0, v).toArray();
                int[] parents = GPT2Model.chain(n, -1);
                double[] ms = new double[iterations];
                double[] copyRate = new double[iterations];
                long weightBytes = 0, kvBytes = 0;
                for (int i = -warmup; i < iterations; i++) {
                    long t0 = System.nanoTime();
                    ForwardStats stats;
                    if (readout != null) {
                        stats = forward.score(cache, tokens, parents, readout).stats(); // the read-back waits for the device
                    } else {
                        try (Logits l = forward.run(cache, tokens, parents)) {
                            l.argmax(0); // forces completion on asynchronous devices
                            stats = l.stats();
                        }
                    }
                    weightBytes = stats.weightBytesRead();
                    kvBytes = stats.kvBytesRead() + stats.kvBytesWritten();
                    if (i >= 0) {
                        ms[i] = (System.nanoTime() - t0) / 1e6;
                        copyRate[i] = copy.measure();
                    }
                    cache.discardPending();
                }
                results.add(new Result(prefixLength, n, median(ms), stdDev(ms), weightBytes, kvBytes, median(copyRate),
                        Arrays.stream(copyRate).max().orElseThrow()));
            }
        }
        return results;
    }

    static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) s += v;
        return s / x.length;
    }

    private static double stdDev(double[] x) {
        double m = mean(x), s = 0;
        for (double v : x) s += (v - m) * (v - m);
        return Math.sqrt(s / Math.max(1, x.length - 1));
    }
}

package ssd.decoder.bench;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.model.KVCache;
import ssd.decoder.model.Logits;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Times forwards of n new tokens (a chain) on top of a prefix, and the device's copy bandwidth in the same run, so
 * that "fraction of bandwidth used by the weight stream" compares like with like.
 */
public final class ForwardBench {
    /** One timed shape: ms per forward and the bytes of weights it streamed. */
    public record Result(int prefixLength, int newTokens, double msPerForward, double msStdDev, long weightBytes, long kvBytes) {
        /** Weight bytes per second of this forward. */
        public double weightStreamBytesPerSecond() {
            return weightBytes / (msPerForward / 1e3);
        }
    }

    private ForwardBench() {
    }

    public static List<Result> run(GPT2Model model, int prefixLength, int[] newTokenCounts, int warmup, int iterations, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int v = model.config().vocabSize();
        int maxNew = 0;
        for (int n : newTokenCounts) maxNew = Math.max(maxNew, n);
        if (prefixLength + maxNew > model.config().nPositions()) {
            throw new IllegalArgumentException("prefix " + prefixLength + " + " + maxNew + " new tokens exceed the context of " + model.config().nPositions());
        }
        List<Result> results = new ArrayList<>();
        try (KVCache cache = model.newCache(maxNew)) {
            if (prefixLength > 0) {
                int[] prefix = rng.ints(prefixLength, 0, v).toArray();
                model.forward(cache, prefix, GPT2Model.chain(prefixLength, -1)).close();
                cache.commit(KVCache.firstPending(prefixLength));
            }
            for (int n : newTokenCounts) {
                int[] tokens = rng.ints(n, 0, v).toArray();
                int[] parents = GPT2Model.chain(n, -1);
                double[] ms = new double[iterations];
                long weightBytes = 0, kvBytes = 0;
                for (int i = -warmup; i < iterations; i++) {
                    long t0 = System.nanoTime();
                    try (Logits l = model.forward(cache, tokens, parents)) {
                        l.argmax(0); // forces completion on asynchronous devices
                        weightBytes = l.stats().weightBytesRead();
                        kvBytes = l.stats().kvBytesRead() + l.stats().kvBytesWritten();
                    }
                    if (i >= 0) ms[i] = (System.nanoTime() - t0) / 1e6;
                    cache.discardPending();
                }
                results.add(new Result(prefixLength, n, mean(ms), stdDev(ms), weightBytes, kvBytes));
            }
        }
        return results;
    }

    /**
     * Device copy bandwidth (bytes read + bytes written per second) of a large tensor copy, best of several runs,
     * like STREAM's "copy".
     */
    public static double copyBandwidth(Device device, long bytes, int repeats) {
        try (PointerScope scope = new PointerScope()) {
            long n = bytes / 4;
            Tensor src = torch.ones(n).to(device, torch.ScalarType.Float);
            Tensor dst = torch.zeros(n).to(device, torch.ScalarType.Float);
            double best = Double.MAX_VALUE;
            for (int i = 0; i < repeats + 1; i++) {
                long t0 = System.nanoTime();
                dst.copy_(src);
                dst.select(0, n - 1).item_float(); // synchronizes on asynchronous devices
                double s = (System.nanoTime() - t0) / 1e9;
                if (i > 0) best = Math.min(best, s);
            }
            return 2.0 * n * 4 / best;
        }
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

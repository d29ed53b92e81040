package ssd.decoder.decoding;

import java.util.SplittableRandom;

/**
 * The target distribution of {@link SamplingConfig} (temperature, then top-k, renormalised) and draws from it.
 * All methods share this one definition, which is what makes their outputs comparable.
 */
public final class Sampler {
    private final SamplingConfig config;
    private final SplittableRandom random;

    public Sampler(SamplingConfig config) {
        this.config = config;
        this.random = new SplittableRandom(config.seed());
    }

    public SamplingConfig config() {
        return config;
    }

    /** Dense probabilities over the vocabulary; zero outside the top-k. Ties at the k-th logit keep the lower ids. */
    public double[] distribution(float[] logits) {
        return distribution(logits, config);
    }

    public static double[] distribution(float[] logits, SamplingConfig config) {
        int v = logits.length;
        double[] p = new double[v];
        if (config.isGreedy()) {
            p[argmax(logits)] = 1;
            return p;
        }
        float threshold = Float.NEGATIVE_INFINITY;
        int k = config.topK() == 0 ? v : Math.min(config.topK(), v);
        if (k < v) threshold = kthLargest(logits, k);
        int kept = 0, atThreshold = 0;
        for (float l : logits) if (l > threshold) kept++;
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) max = Math.max(max, l);
        double sum = 0;
        for (int i = 0; i < v; i++) {
            boolean keep = logits[i] > threshold || (logits[i] == threshold && kept + atThreshold++ < k);
            if (keep) {
                p[i] = Math.exp((logits[i] - max) / config.temperature());
                sum += p[i];
            }
        }
        for (int i = 0; i < v; i++) p[i] /= sum;
        return p;
    }

    private static float kthLargest(float[] logits, int k) {
        float[] copy = logits.clone();
        java.util.Arrays.sort(copy);
        return copy[copy.length - k];
    }

    public static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }

    /** Draws one index from a (normalised) distribution. */
    public int sample(double[] p) {
        double u = random.nextDouble(), acc = 0;
        int last = -1;
        for (int i = 0; i < p.length; i++) {
            if (p[i] <= 0) continue;
            acc += p[i];
            last = i;
            if (u < acc) return i;
        }
        return last; // rounding left u above the total
    }

    /** A uniform draw in [0, 1), for acceptance tests. */
    public double uniform() {
        return random.nextDouble();
    }
}

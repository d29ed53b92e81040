package ssd.decoder.decoding;

import java.util.SplittableRandom;

/**
 * The random source of one generation: draws from {@link SparseDistribution}s (the targets {@link TargetDistribution}
 * computes on the device) and uniform numbers for acceptance tests, reproducibly from the configuration's seed.
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

    /** Draws one token from {@code p}. */
    public int sample(SparseDistribution p) {
        return p.tokenAt(random.nextDouble());
    }

    /** A uniform draw in [0, 1), for acceptance tests. */
    public double uniform() {
        return random.nextDouble();
    }
}

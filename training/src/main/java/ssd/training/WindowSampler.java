package ssd.training;

import ssd.datasets.shards.TokenSplit;

import java.util.SplittableRandom;

/**
 * Random training windows of {@code seqLen + 1} tokens (inputs plus the shifted targets) from the train split. The
 * generator of each micro-batch is derived from (seed, step, micro-batch) alone, so a resumed run draws exactly the
 * windows the uninterrupted run would have drawn, with no generator state to save.
 */
public final class WindowSampler {
    private final TokenSplit split;
    private final int seqLen;
    private final long seed;
    private final int vocabSize;

    public WindowSampler(TokenSplit split, int seqLen, long seed, int vocabSize) {
        if (split.tokens() < seqLen + 1L) {
            throw new IllegalArgumentException("the " + split.name() + " split has " + split.tokens() + " tokens, fewer than one window of "
                    + (seqLen + 1) + " (seq_len + 1)");
        }
        this.split = split;
        this.seqLen = seqLen;
        this.seed = seed;
        this.vocabSize = vocabSize;
    }

    /** {@code windows} windows, row-major [windows, seqLen + 1], for micro-batch {@code micro} of optimiser step {@code step}. */
    public long[] batch(long step, int micro, int windows) {
        SplittableRandom rng = new SplittableRandom(key(seed, step, micro));
        int width = seqLen + 1;
        int[] w = new int[width];
        long[] out = new long[windows * width];
        for (int b = 0; b < windows; b++) {
            split.randomWindow(rng, width, w);
            for (int i = 0; i < width; i++) {
                if (w[i] >= vocabSize) {
                    throw new IllegalArgumentException("corpus token id " + w[i] + " is outside the model's vocabulary of " + vocabSize);
                }
                out[b * width + i] = w[i];
            }
        }
        return out;
    }

    /** SplitMix64-style mixing of the three coordinates, so nearby steps get unrelated streams. */
    static long key(long seed, long step, int micro) {
        long k = mix(seed ^ 0x5DEECE66DL);
        k = mix(k + 0x9E3779B97F4A7C15L * (step + 1));
        return mix(k + 0xBF58476D1CE4E5B9L * (micro + 1));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

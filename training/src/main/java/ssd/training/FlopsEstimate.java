package ssd.training;

import ssd.decoder.model.GPT2Config;

/**
 * Training FLOPs per token as in PaLM (appendix B) and nanoGPT's estimate_mfu: 6 N for the matrix multiplies of the
 * forward and backward, where N is every parameter except the position embedding (the token embedding counts: it is
 * also the LM head, a real matmul), plus 12 n_layer d T for attention scores and values at context T.
 */
public record FlopsEstimate(double flopsPerToken) {
    public static FlopsEstimate of(GPT2Config c, int seqLen) {
        long n = c.parameterCount() - (long) c.nPositions() * c.nEmbd();
        return new FlopsEstimate(6.0 * n + 12.0 * c.nLayer() * c.nEmbd() * seqLen);
    }

    /** Model FLOPs utilisation at {@code tokensPerSecond} against {@code peakFlops}. */
    public double mfu(double tokensPerSecond, double peakFlops) {
        return flopsPerToken * tokensPerSecond / peakFlops;
    }
}

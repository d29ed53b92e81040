package ssd.decoder.decoding;

/** A decoding method: baseline, speculative or staged. All produce the oracle's output (exactly, when greedy). */
public interface Decoder {
    String name();

    Generation generate(int[] prompt, SamplingConfig sampling, StopConditions stop);

    /**
     * Builds every fixed-shape forward and captures every CUDA graph any prompt's generation will use (prompt chunks
     * of 1..128 tokens, every round's batches, with the device reductions {@code sampling} reads), so that none is
     * built inside a timed generation.
     */
    void warmUp(SamplingConfig sampling);
}

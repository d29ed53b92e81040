package ssd.decoder.decoding;

/** A decoding method: baseline, speculative or staged. All produce the oracle's output (exactly, when greedy). */
public interface Decoder {
    String name();

    Generation generate(int[] prompt, SamplingConfig sampling, StopConditions stop);
}

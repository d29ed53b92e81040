package ssd.decoder.decoding;

/**
 * How the next token is chosen from the oracle's logits. Greedy is argmax (temperature 0). Otherwise the logits are
 * divided by the temperature, filtered to the top-k (k = 0 means no filter), and renormalised; every method samples
 * from exactly this distribution.
 */
public record SamplingConfig(double temperature, int topK, long seed) {
    public SamplingConfig {
        if (temperature < 0 || Double.isNaN(temperature)) throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        if (topK < 0) throw new IllegalArgumentException("top-k must be >= 0, got " + topK);
    }

    public static SamplingConfig greedy() {
        return new SamplingConfig(0, 0, 0);
    }

    public static SamplingConfig topK(int k, double temperature, long seed) {
        return new SamplingConfig(temperature, k, seed);
    }

    public boolean isGreedy() {
        return temperature == 0 || topK == 1;
    }

    public String describe() {
        return isGreedy() ? "greedy" : "top-k (k=" + topK + ", T=" + temperature + ")";
    }
}

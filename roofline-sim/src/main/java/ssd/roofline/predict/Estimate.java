package ssd.roofline.predict;

/**
 * Steady-state cost of one decoding step of a method in a what-if (one oracle call with its drafting).
 *
 * @param method          e.g. "baseline", "speculative g=4", "tree B=64"
 * @param device          device name
 * @param tokensPerCall   expected tokens appended per oracle call
 * @param secondsPerCall  oracle forward, commit and draft forwards
 * @param flopsPerCall    FLOPs executed
 * @param bytesPerCall    DRAM bytes moved
 */
public record Estimate(String method, String device, double tokensPerCall, double secondsPerCall, double flopsPerCall,
                       double bytesPerCall) {

    public double tokensPerSecond() {
        return tokensPerCall / secondsPerCall;
    }

    public double dramBytesPerToken() {
        return bytesPerCall / tokensPerCall;
    }

    public double arithmeticIntensity() {
        return flopsPerCall / bytesPerCall;
    }

    public double achievedFlopsPerSecond() {
        return flopsPerCall / secondsPerCall;
    }
}

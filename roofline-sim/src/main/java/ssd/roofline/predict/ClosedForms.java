package ssd.roofline.predict;

/**
 * Closed forms for chain speculative decoding with an i.i.d. per-token acceptance rate {@code a} and {@code g}
 * drafted tokens per oracle call (Leviathan et al. 2022). Used to cross-check trace-based predictions.
 */
public final class ClosedForms {
    private ClosedForms() {
    }

    /** Expected tokens appended per oracle call, the oracle's own token included: (1 - a^(g+1)) / (1 - a). */
    public static double chainExpectedTokens(double a, int g) {
        checkRate(a);
        if (g < 0) throw new IllegalArgumentException("chain length must be >= 0, got " + g);
        if (a == 1) return g + 1;
        return (1 - Math.pow(a, g + 1)) / (1 - a);
    }

    /**
     * Speedup over the baseline with measured or predicted times: E · t_step / (t_verify + g · t_draft), where
     * t_step is a 1-token oracle forward, t_verify a (g+1)-token oracle forward and t_draft a 1-token draft forward.
     */
    public static double chainSpeedup(double a, int g, double oracleStepSeconds, double oracleVerifySeconds, double draftStepSeconds) {
        return chainExpectedTokens(a, g) * oracleStepSeconds / (oracleVerifySeconds + g * draftStepSeconds);
    }

    /** Leviathan et al.'s form, assuming verification costs one oracle step: (1 - a^(g+1)) / ((1 - a)(g c + 1)), c = t_draft / t_oracle. */
    public static double leviathanSpeedup(double a, int g, double c) {
        return chainExpectedTokens(a, g) / (g * c + 1);
    }

    private static void checkRate(double a) {
        if (!(a >= 0 && a <= 1)) throw new IllegalArgumentException("acceptance rate must be in [0, 1], got " + a);
    }
}

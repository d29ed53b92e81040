package ssd.tables;

/**
 * What one implementation profile predicts for one method in one sampling mode: the runs' tokens per second and
 * bytes read per generated token on the predicted device. Ratios between methods are taken within one profile and
 * sampling mode.
 *
 * @param bytesPerToken DRAM bytes per generated token; NaN when the predictor gives none
 */
public record Prediction(String profile, Sampling sampling, String method, double tokensPerSecond, double bytesPerToken) {
    public Prediction {
        if (profile == null || profile.isBlank()) throw new IllegalArgumentException("a prediction needs a profile");
        if (sampling == null) throw new IllegalArgumentException("a prediction needs a sampling mode");
        if (method == null || method.isBlank()) throw new IllegalArgumentException("a prediction needs a method");
        if (!(tokensPerSecond > 0) || !Double.isFinite(tokensPerSecond))
            throw new IllegalArgumentException("tokens_per_second must be a positive number, got " + tokensPerSecond);
        if (!Double.isNaN(bytesPerToken) && !(bytesPerToken > 0 && Double.isFinite(bytesPerToken)))
            throw new IllegalArgumentException("bytes_per_token must be a positive number, got " + bytesPerToken);
    }

    public double value(Quantity q) {
        return q == Quantity.TOKENS_PER_SECOND ? tokensPerSecond : bytesPerToken;
    }
}

package ssd.training;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Locale;

/**
 * How a draft is distilled from the oracle ({@code "distill"} in a profile's draft role): the loss is
 * {@code (1 - alpha) * cross-entropy + alpha * T^2 * KL(softmax(oracle / T) || softmax(draft / T))} on the same
 * windows, for {@code trainTokens} tokens in micro-batches of {@code microBatch} windows (tokens per optimiser step
 * stay those of the role: grad_accum grows to compensate).
 *
 * @param alpha       weight of the distillation term, in [0, 1] (--distill-alpha)
 * @param temperature softening temperature T of both distributions, > 0 (--distill-temperature)
 * @param trainTokens token budget of a distillation run (--train-tokens overrides it)
 * @param microBatch  windows per forward of a distillation run (two models' logits per window; --micro-batch overrides it)
 */
public record DistillSettings(@JsonProperty(value = "alpha", required = true) double alpha,
                              @JsonProperty(value = "temperature", required = true) double temperature,
                              @JsonProperty(value = "train_tokens", required = true) long trainTokens,
                              @JsonProperty(value = "micro_batch", required = true) int microBatch) {
    public DistillSettings {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("--distill-alpha (distill.alpha) must be in [0, 1], got " + alpha);
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("--distill-temperature (distill.temperature) must be a positive number, got " + temperature);
        }
        if (trainTokens <= 0) throw new IllegalArgumentException("distill.train_tokens must be positive, got " + trainTokens);
        if (microBatch <= 0) throw new IllegalArgumentException("distill.micro_batch must be positive, got " + microBatch);
    }

    public DistillSettings withAlpha(double a) {
        return new DistillSettings(a, temperature, trainTokens, microBatch);
    }

    public DistillSettings withTemperature(double t) {
        return new DistillSettings(alpha, t, trainTokens, microBatch);
    }

    public String describe() {
        return String.format(Locale.ROOT, "loss = %.2f * cross-entropy + %.2f * T^2 * KL(oracle || draft) at T = %.2f", 1 - alpha, alpha, temperature);
    }
}

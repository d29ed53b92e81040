package ssd.figures;

import java.util.Locale;

/** A run's sampling mode; greedy when the temperature is 0. */
public record Sampling(double temperature, int topK) {
    public boolean greedy() {
        return temperature == 0;
    }

    public String describe() {
        return greedy() ? "greedy" : String.format(Locale.ROOT, "top-k %d, T=%s", topK, temperature);
    }
}

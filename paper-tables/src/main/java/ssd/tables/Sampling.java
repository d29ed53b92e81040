package ssd.tables;

/** A run's sampling mode; greedy when the temperature is 0 ({@code topK} 0: no top-k cut-off). */
public record Sampling(double temperature, int topK) {
    public boolean greedy() {
        return temperature == 0;
    }
}

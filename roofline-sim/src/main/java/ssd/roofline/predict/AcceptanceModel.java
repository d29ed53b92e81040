package ssd.roofline.predict;

import java.util.Arrays;

/**
 * Assumed draft quality for what-if sweeps: {@code rankProbs[r]} is the probability that the oracle's next token is
 * the draft's (r+1)-th most likely token, independently at every depth. A single entry {@code a} is the chain model of
 * speculative decoding with acceptance rate {@code a}. These are inputs, not measurements: measure them from a trace
 * or choose them for a what-if.
 */
public record AcceptanceModel(double[] rankProbs) {

    public AcceptanceModel {
        if (rankProbs == null || rankProbs.length == 0) throw new IllegalArgumentException("give at least one rank probability");
        rankProbs = rankProbs.clone();
        double sum = 0;
        for (int i = 0; i < rankProbs.length; i++) {
            double p = rankProbs[i];
            if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("rank probability " + p + " is not in [0, 1]");
            if (i > 0 && p > rankProbs[i - 1]) {
                throw new IllegalArgumentException("rank probabilities must be non-increasing, got " + Arrays.toString(rankProbs));
            }
            sum += p;
        }
        if (sum > 1 + 1e-12) throw new IllegalArgumentException("rank probabilities add up to " + sum + " > 1");
    }

    public static AcceptanceModel chain(double acceptanceRate) {
        return new AcceptanceModel(new double[]{acceptanceRate});
    }

    /** Parses "0.7,0.1,0.05". */
    public static AcceptanceModel parse(String text) {
        String[] parts = text.split(",");
        double[] p = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                p[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("rank probabilities '" + text + "': expected comma-separated numbers such as 0.7,0.1,0.05");
            }
        }
        return new AcceptanceModel(p);
    }

    public double rank(int r) {
        return rankProbs[r];
    }

    public int ranks() {
        return rankProbs.length;
    }

    /** The model as a chain: acceptance rate of the draft's top token. */
    public AcceptanceModel topOnly() {
        return chain(rankProbs[0]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AcceptanceModel m && Arrays.equals(rankProbs, m.rankProbs);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(rankProbs);
    }

    @Override
    public String toString() {
        return Arrays.toString(rankProbs);
    }
}

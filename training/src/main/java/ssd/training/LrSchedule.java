package ssd.training;

/**
 * Linear warm-up from maxLr/warmup to maxLr over {@code warmupSteps}, then cosine decay to {@code minLr} at
 * {@code totalSteps}, and minLr after that. Steps are 0-based: step 0 is the first optimiser update.
 */
public record LrSchedule(double maxLr, double minLr, long warmupSteps, long totalSteps) {
    public LrSchedule {
        if (!(maxLr > 0) || !(minLr >= 0) || minLr > maxLr) throw new IllegalArgumentException("need 0 <= minLr <= maxLr, maxLr > 0");
        if (warmupSteps < 0 || totalSteps <= 0) throw new IllegalArgumentException("need warmupSteps >= 0 and totalSteps > 0");
    }

    public double at(long step) {
        if (step < 0) throw new IllegalArgumentException("step must be >= 0, got " + step);
        if (step < warmupSteps) return maxLr * (step + 1) / warmupSteps;
        if (step >= totalSteps) return minLr;
        double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
        return minLr + 0.5 * (1 + Math.cos(Math.PI * progress)) * (maxLr - minLr);
    }
}

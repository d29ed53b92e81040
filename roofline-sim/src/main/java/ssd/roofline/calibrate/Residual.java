package ssd.roofline.calibrate;

/**
 * Predicted against measured time for one bench row.
 *
 * @param row           the measurement
 * @param predictedMs   the model's prediction
 * @param relativeError predicted / measured - 1
 */
public record Residual(BenchRow row, double predictedMs, double relativeError) {
}

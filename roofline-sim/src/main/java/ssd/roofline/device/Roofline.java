package ssd.roofline.device;

import ssd.common.Dtype;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * A device's roofline: attainable FLOP/s = min(peak, bandwidth x arithmetic intensity). The one place that formula
 * lives: {@code ssd simulate roofline} writes it as CSV ({@code RooflineCsv}), {@code ssd figures} draws it (Figure 1).
 *
 * @param hardware           the device name (without mode tag)
 * @param peakFlopsPerS      the compute ceiling, FLOP/s
 * @param bandwidthBytesPerS the slope, bytes/s
 */
public record Roofline(String hardware, double peakFlopsPerS, double bandwidthBytesPerS) {
    /** The catalog or calibrated device's roofline in {@code dtype}: its peak for that dtype, its bandwidth. */
    public static Roofline of(Device device, Dtype dtype) {
        return new Roofline(device.name(), device.peakFlops(dtype), device.bandwidth());
    }

    public double attainable(double intensity) {
        return Math.min(peakFlopsPerS, bandwidthBytesPerS * intensity);
    }

    /** The intensity where the bandwidth slope meets the peak. */
    public double ridge() {
        return peakFlopsPerS / bandwidthBytesPerS;
    }

    /** The peak in TFLOP/s to four significant digits, without trailing zeros ("989.4", "0.2"). */
    public String peakTflopsText() {
        return BigDecimal.valueOf(peakFlopsPerS / 1e12).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }
}

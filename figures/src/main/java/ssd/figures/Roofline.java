package ssd.figures;

import ssd.roofline.Medians;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A device's roofline: attainable FLOP/s = min(peak, bandwidth * intensity).
 *
 * @param hardware         the device name without mode tag
 * @param peakFlopsPerS    peak FLOP/s
 * @param bandwidthBytesPerS the median copy bandwidth over the device's rows
 */
public record Roofline(String hardware, double peakFlopsPerS, double bandwidthBytesPerS) {
    /** Dense fp16 tensor-core peak of an H100/H200 SXM, the default for those devices. */
    public static final int HOPPER_FP16_PEAK_TFLOPS = 989;

    public double attainable(double intensity) {
        return Math.min(peakFlopsPerS, bandwidthBytesPerS * intensity);
    }

    /** The peak in TFLOP/s to four significant digits, without trailing zeros ("989", "0.2"). */
    public String peakTflopsText() {
        return java.math.BigDecimal.valueOf(peakFlopsPerS / 1e12).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** The intensity where the bandwidth slope meets the peak. */
    public double ridge() {
        return peakFlopsPerS / bandwidthBytesPerS;
    }

    /** 989 TFLOP/s for a device whose name contains H100 or H200; nothing for others. */
    public static OptionalDouble defaultPeakTflops(String hardware) {
        String h = hardware.toUpperCase(Locale.ROOT);
        return h.contains("H100") || h.contains("H200") ? OptionalDouble.of(HOPPER_FP16_PEAK_TFLOPS) : OptionalDouble.empty();
    }

    /**
     * One roofline per hardware among {@code points}, in order of first appearance, each under the peak that
     * {@code peaks} gives it (see {@link PeakTflops#of}).
     */
    public static Map<String, Roofline> of(List<ForwardPoint> points, PeakTflops peaks) {
        List<String> hardware = points.stream().map(ForwardPoint::hardware).distinct().toList();
        Map<String, Roofline> out = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : peaks.of(hardware).entrySet()) {
            String hw = e.getKey();
            double[] bw = points.stream().filter(q -> q.hardware().equals(hw)).mapToDouble(ForwardPoint::copyBandwidthBytesPerS).toArray();
            out.put(hw, new Roofline(hw, e.getValue() * 1e12, Medians.of(bw)));
        }
        return out;
    }
}

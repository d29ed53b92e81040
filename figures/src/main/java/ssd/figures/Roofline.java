package ssd.figures;

import ssd.common.Dtype;
import ssd.roofline.Medians;
import ssd.roofline.device.DeviceCatalog;

import java.util.LinkedHashMap;
import java.util.List;
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

    /**
     * The dense fp16 peak in TFLOP/s of the GPU the name names, from the simulator's device catalog (989.4 for an H100
     * SXM or H200); nothing for other devices.
     */
    public static OptionalDouble defaultPeakTflops(String hardware) {
        return DeviceCatalog.gpuNamed(hardware).map(d -> OptionalDouble.of(d.peakFlops(Dtype.FP16) / 1e12)).orElseGet(OptionalDouble::empty);
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

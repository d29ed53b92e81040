package ssd.roofline.report;

import ssd.common.Dtype;
import ssd.roofline.device.Device;

import java.util.List;

/**
 * Data for Figure 1: a device's roofline (bandwidth slope up to the compute ceiling) and points at
 * (arithmetic intensity, achieved FLOP/s). Achieved means executed FLOPs over wall time, host overhead included,
 * which is why batch-1 decoding sits far below the slope.
 */
public final class RooflineFigure {
    /** A labelled point on the plot. */
    public record Point(String label, double arithmeticIntensity, double flopsPerSecond) {
    }

    private RooflineFigure() {
    }

    /** Attainable FLOP/s at an arithmetic intensity: min(peak, intensity x bandwidth). */
    public static double attainable(Device d, Dtype dtype, double intensity) {
        return Math.min(d.peakFlops(dtype), intensity * d.bandwidth());
    }

    /**
     * CSV with columns device,dtype,kind,label,arithmetic_intensity,flops_per_s. Rows of kind "roof" trace the roofline
     * at 8 points per decade from 0.01 to 10^4 FLOP/byte plus the ridge point; rows of kind "point" are the points.
     * Utilization of a point is flops_per_s / the largest roof value.
     */
    public static String csv(Device d, Dtype dtype, List<Point> points) {
        Csv csv = new Csv("device", "dtype", "kind", "label", "arithmetic_intensity", "flops_per_s");
        double ridge = d.ridgePoint(dtype);
        boolean ridgeDone = false;
        for (int i = -16; i <= 32; i++) {
            double ai = Math.pow(10, i / 8.0);
            if (!ridgeDone && ai > ridge) {
                csv.row(d.name(), dtype.flagName(), "roof", "ridge", ridge, attainable(d, dtype, ridge));
                ridgeDone = true;
            }
            csv.row(d.name(), dtype.flagName(), "roof", "", ai, attainable(d, dtype, ai));
        }
        for (Point p : points) csv.row(d.name(), dtype.flagName(), "point", p.label(), p.arithmeticIntensity(), p.flopsPerSecond());
        return csv.toString();
    }
}

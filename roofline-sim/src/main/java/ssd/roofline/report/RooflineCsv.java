package ssd.roofline.report;

import ssd.common.Dtype;
import ssd.roofline.device.Roofline;

import java.util.List;

/**
 * Data for Figure 1 as CSV ({@code ssd simulate roofline}): a device's roofline (bandwidth slope up to the compute
 * ceiling) and points at (arithmetic intensity, achieved FLOP/s). Achieved means executed FLOPs over wall time, host
 * overhead included, which is why batch-1 decoding sits far below the slope.
 */
public final class RooflineCsv {
    /** A labelled point on the plot. */
    public record Point(String label, double arithmeticIntensity, double flopsPerSecond) {
    }

    private RooflineCsv() {
    }

    /**
     * CSV with columns device,dtype,kind,label,arithmetic_intensity,flops_per_s. Rows of kind "roof" trace the roofline
     * at 8 points per decade from 0.01 to 10^4 FLOP/byte plus the ridge point; rows of kind "point" are the points.
     * Utilization of a point is flops_per_s / the largest roof value.
     */
    public static String csv(Roofline roof, Dtype dtype, List<Point> points) {
        Csv csv = new Csv("device", "dtype", "kind", "label", "arithmetic_intensity", "flops_per_s");
        String device = roof.hardware(), dt = dtype.flagName();
        double ridge = roof.ridge();
        boolean ridgeDone = false;
        for (int i = -16; i <= 32; i++) {
            double ai = Math.pow(10, i / 8.0);
            if (!ridgeDone && ai > ridge) {
                csv.row(device, dt, "roof", "ridge", ridge, roof.attainable(ridge));
                ridgeDone = true;
            }
            csv.row(device, dt, "roof", "", ai, roof.attainable(ai));
        }
        for (Point p : points) csv.row(device, dt, "point", p.label(), p.arithmeticIntensity(), p.flopsPerSecond());
        return csv.toString();
    }
}

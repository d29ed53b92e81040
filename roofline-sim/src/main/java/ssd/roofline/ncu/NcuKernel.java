package ssd.roofline.ncu;

import java.util.Map;

/**
 * One profiled kernel launch from Nsight Compute's CSV: its launch id, name and metric values in base units
 * (bytes, operations, instructions, nanoseconds).
 */
public record NcuKernel(long id, String name, Map<String, Double> metrics) {
    public NcuKernel {
        metrics = Map.copyOf(metrics);
    }

    /** A metric's value, or 0 when the CSV has none for this kernel. */
    public double metric(String name) {
        return metrics.getOrDefault(name, 0.0);
    }
}

package ssd.roofline.cost;

import ssd.common.Dtype;
import ssd.roofline.ModelShape;

import java.util.Locale;

/**
 * Which kernels a forward is made of, as the decoder runs it:
 * <ul>
 *   <li>{@link #EAGER_ATEN}: ATen ops launched one by one for exactly the batch ({@link ForwardCostModel#forward});</li>
 *   <li>{@link #STATIC_ATEN}: the same ops on the fixed-shape forward that CUDA graphs capture, so a batch runs as its
 *       bucket (the next power of two up to 128 rows);</li>
 *   <li>{@link #STATIC_FUSED}: our fused kernels in that fixed-shape forward for buckets up to 64 rows
 *       ({@link FusedForwardCostModel}), the ATen ops above.</li>
 * </ul>
 * A device calibrated on {@code bench-forward} rows carries the mode in its name ("NVIDIA H200 [cuda-graph+fused]"),
 * which is how {@link #forDevice} picks the kernel set that its fitted latency belongs to.
 */
public enum ForwardImpl {
    EAGER_ATEN, STATIC_ATEN, STATIC_FUSED;

    /** Largest bucket of the fixed-shape forward. */
    public static final int MAX_BUCKET = 128;

    /** The kernel set a device name's mode tag names: "+fused]" fused, "[cuda-graph" or "[static" ATen static, else eager. */
    public static ForwardImpl forDevice(String deviceName) {
        String n = deviceName.toLowerCase(Locale.ROOT);
        if (n.contains("+fused]")) return STATIC_FUSED;
        if (n.contains("[cuda-graph") || n.contains("[static")) return STATIC_ATEN;
        return EAGER_ATEN;
    }

    /** Rows the kernels process for a batch of {@code newTokens}: the bucket in the fixed-shape modes. */
    public int rows(int newTokens) {
        if (this == EAGER_ATEN || newTokens > MAX_BUCKET) return newTokens;
        return newTokens <= 1 ? 1 : Integer.highestOneBit(newTokens - 1) << 1;
    }

    /** The forward of {@code newTokens} on a prefix, as this kernel set runs it (padding rows of a bucket included). */
    public Workload forward(ModelShape m, Dtype dtype, int prefixLen, int newTokens) {
        int rows = rows(newTokens);
        if (this == STATIC_FUSED && dtype != Dtype.FP32 && rows <= FusedForwardCostModel.MAX_ROWS) {
            return FusedForwardCostModel.forward(m, dtype, prefixLen, rows, FusedForwardCostModel.CUBLAS_LINEARS_FROM_ROWS);
        }
        return ForwardCostModel.forward(m, dtype, prefixLen, rows);
    }
}

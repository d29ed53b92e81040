package ssd.decoder.forward;

import java.util.Locale;

/**
 * What the fixed-shape forwards ({@link ForwardMode#STATIC}, {@link ForwardMode#CUDA_GRAPH}) are made of.
 *
 * <ul>
 *   <li>{@link #ATEN}: ATen ops (cuBLAS matmuls, layer_norm, scaled_dot_product_attention over the full width).</li>
 *   <li>{@link #FUSED}: where the model allows it (fp16 on a CUDA device of compute capability 8.0+, head size 32 or
 *       64, at most 64 rows), the fused kernels of {@link FusedForward}; elsewhere ATen, so this is safe as a
 *       default. The eager path is never fused: it stays the reference.</li>
 * </ul>
 */
public enum ForwardKernels {
    ATEN, FUSED;

    /** The most new tokens a fused forward takes; larger batches run ATen. */
    public static final int FUSED_MAX_ROWS = 64;

    /** Parses "aten" or "fused" (case-insensitive). */
    public static ForwardKernels parse(String flag) {
        switch (flag.trim().toLowerCase(Locale.ROOT)) {
            case "aten": return ATEN;
            case "fused": return FUSED;
            default: throw new IllegalArgumentException("unknown kernels '" + flag + "': expected fused or aten");
        }
    }

    public String flagName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

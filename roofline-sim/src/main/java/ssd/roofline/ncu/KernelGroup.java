package ssd.roofline.ncu;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The groups the intensity check compares kernel by kernel: the layers' linears (with whatever the kernel set fuses
 * into them: layer norms, GELU, residual adds, K/V writes), attention, the LM head, and everything else (embedding,
 * standalone layer norms and elementwise ops, argmax). Measured kernels are grouped by name; predicted ones by the
 * cost model's kernel names.
 */
public enum KernelGroup {
    LINEARS, ATTENTION, LM_HEAD, OTHER;

    /** The kernel the probe launches between forwards: ATen's fill of an int16 tensor. */
    public static boolean isMarker(String kernelName) {
        return kernelName.contains("FillFunctor<short>");
    }

    /** By name: our fused kernels, cuBLAS/CUTLASS GEMMs, attention kernels; the LM head is settled by {@link #ofForward}. */
    static KernelGroup ofMeasured(String kernelName) {
        String n = kernelName.toLowerCase(Locale.ROOT);
        if (n.startsWith("linear_logits") || n.startsWith("widen_logits")) return LM_HEAD;
        if (n.contains("attention") || n.contains("fmha") || n.contains("flash") || n.contains("mha_")) return ATTENTION;
        if (n.startsWith("linear_") || n.contains("gemm") || n.contains("gemv") || n.contains("nvjet") || n.contains("xmma")
                || n.contains("cutlass") || n.contains("cublas")) return LINEARS;
        return OTHER;
    }

    /**
     * Groups of one forward's measured kernels in order. Unless our fused LM head ({@code linear_logits}) ran, the last
     * GEMM of the forward is the LM head (ATen's and cuBLAS's GEMMs carry no such name; the LM head is the forward's
     * last matrix product, which cuBLAS-path {@code widen_logits} only finishes).
     */
    public static List<KernelGroup> ofForward(List<NcuKernel> forward) {
        List<KernelGroup> groups = new ArrayList<>(forward.size());
        boolean fusedHead = false;
        for (NcuKernel k : forward) {
            groups.add(ofMeasured(k.name()));
            fusedHead |= k.name().startsWith("linear_logits");
        }
        if (!fusedHead) {
            int last = groups.lastIndexOf(LINEARS);
            if (last >= 0) groups.set(last, LM_HEAD);
        }
        return groups;
    }

    /** A cost-model kernel's group ({@code ForwardCostModel}, {@code FusedForwardCostModel} names). */
    public static KernelGroup ofPredicted(String modelKernelName) {
        return switch (modelKernelName) {
            case "qkv", "attn_proj", "mlp_fc", "mlp_proj" -> LINEARS;
            case "attention" -> ATTENTION;
            case "lm_head", "widen_logits" -> LM_HEAD;
            default -> OTHER;
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package ssd.decoder.forward;

import ssd.common.Dtype;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Everything that chooses how forwards run, made once from the command line and validated once: the mode, the
 * kernels of fixed-shape forwards and their options, the dtype and device the models are loaded in, and libtorch's
 * CPU threads. Written into every results record and provenance file; {@link Forward#pathFor(int)} says which path
 * serves a batch of n rows under it.
 *
 * @param threads libtorch's CPU threads (0: libtorch's default, one per core)
 */
public record ForwardPlan(ForwardMode mode, ForwardKernels kernels, FusedOptions fused, Dtype dtype, String device, int threads) {
    public ForwardPlan {
        if (mode == null || kernels == null || fused == null || dtype == null || device == null) {
            throw new IllegalArgumentException("a forward plan needs a mode, kernels, fused options, dtype and device");
        }
        if (threads < 0) throw new IllegalArgumentException("--threads must be >= 0 (0: libtorch's default), got " + threads);
        if (mode == ForwardMode.CUDA_GRAPH && !device.startsWith("cuda")) {
            throw new IllegalArgumentException("--forward-mode cuda-graph needs --device cuda, not --device " + device
                    + " (use --forward-mode static to run the fixed-shape forward on the CPU)");
        }
    }

    /** The eager reference path on the CPU in fp32 (tests). */
    public static ForwardPlan eagerCpu() {
        return new ForwardPlan(ForwardMode.EAGER, ForwardKernels.FUSED, FusedOptions.defaults(), Dtype.FP32, "cpu", 0);
    }

    public ForwardPlan withMode(ForwardMode m) {
        return new ForwardPlan(m, kernels, fused, dtype, device, threads);
    }

    public ForwardPlan withKernels(ForwardKernels k) {
        return new ForwardPlan(mode, k, fused, dtype, device, threads);
    }

    /** The plan as flat key/value pairs, for results records and provenance. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("forward_mode", mode.flagName());
        m.put("kernels", kernels.flagName());
        m.put("fused_cluster_linears", fused.clusterLinears().flagName());
        m.put("fused_cublas_from_rows", fused.cublasLinearsFromRows());
        m.put("fused_pdl", fused.programmaticLaunch());
        m.put("dtype", dtype.flagName());
        m.put("device", device);
        m.put("threads", threads);
        return m;
    }

    public String summary() {
        return String.format(Locale.ROOT, "%s, %s kernels, %s on %s", mode.flagName(), kernels.flagName(), dtype.flagName(), device);
    }
}

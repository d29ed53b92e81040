package ssd.decoder.forward;

import java.util.Locale;

/**
 * The choices inside the fused-kernel forwards that a user may want to measure against each other. Defaults are what
 * measured fastest on an H200 for the GPT-2-L shape (docs/log/2026-11-benchmarks-notebook.md).
 *
 * @param clusterLinears      which tree-batch linears split K over a thread-block cluster (Hopper):
 *                            {@code --fused-cluster-linears narrow|all|none}
 * @param cublasLinearsFromRows token rows from which a layer's linears run on cuBLAS instead of the fused kernels
 *                            (16, 32, 64, or above 64 for never): {@code --fused-cublas-from}
 * @param programmaticLaunch  programmatic dependent launch between kernels (Hopper): {@code --fused-pdl}
 */
public record FusedOptions(ClusterLinears clusterLinears, int cublasLinearsFromRows, boolean programmaticLaunch) {
    /**
     * Which tree-batch linears split K over a thread-block cluster instead of the single-tile kernel: by default the
     * narrow ones, whose 16-feature tiles are fewer than the multiprocessors (GPT-2-L's out-proj and MLP proj, N = 1280:
     * 80 single-tile blocks leave 52 of an H200's 132 multiprocessors idle). On an H200 the 64-token GPT-2-L forward
     * (fused linears) took 2.45 ms this way, 2.53 ms with none and 2.75 ms with the wide ones as cluster linears too.
     */
    public enum ClusterLinears {
        NARROW, ALL, NONE;

        public static ClusterLinears parse(String flag) {
            try {
                return valueOf(flag.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--fused-cluster-linears must be narrow, all or none, not '" + flag + "'");
            }
        }

        boolean uses(String kernel, int n, int multiprocessors) {
            if (this == NONE || !FusedForward.hasClusterKernel(kernel)) return false;
            return this == ALL || (n + 15) / 16 < multiprocessors;
        }

        public String flagName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * From 32 rows by default: on an H200 (GPT-2-L shape) 32-row batches took 1.54-1.61 ms with cuBLAS against 1.72
     * fused, 16-row ones 1.53-1.55 against 1.47 fused.
     */
    public static final int DEFAULT_CUBLAS_FROM_ROWS = 32;

    public FusedOptions {
        if (clusterLinears == null) throw new IllegalArgumentException("--fused-cluster-linears is required");
        if (cublasLinearsFromRows < 1) throw new IllegalArgumentException("--fused-cublas-from must be a positive row count, got " + cublasLinearsFromRows);
    }

    public static FusedOptions defaults() {
        return new FusedOptions(ClusterLinears.NARROW, DEFAULT_CUBLAS_FROM_ROWS, true);
    }
}

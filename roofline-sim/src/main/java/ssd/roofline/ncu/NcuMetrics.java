package ssd.roofline.ncu;

import java.util.List;

/**
 * The Nsight Compute metrics the intensity check collects (all exist on Ampere and Hopper) and how FLOPs are derived
 * from them.
 *
 * <ul>
 *   <li>DRAM bytes: {@code dram__bytes_read.sum} + {@code dram__bytes_write.sum}. With ncu's default
 *       {@code --cache-control all} the caches are flushed before every kernel, so each kernel reads its operands from
 *       DRAM, as the cost model assumes; writes still in L2 when a kernel ends are not counted as its DRAM writes.</li>
 *   <li>Tensor-core FLOPs: the sum of {@code sm__ops_path_tensor_src_fp16_dst_fp32.sum},
 *       {@code sm__ops_path_tensor_src_fp16_dst_fp16.sum} and {@code sm__ops_path_tensor_src_bf16_dst_fp32.sum} ("math
 *       ops executed in the tensor path", which Nsight Compute's tensor roofline plots as FLOPs), times
 *       {@code --flops-per-tensor-op} (default 1). They count what the tensor cores executed, padding included: a
 *       1-row linear on 16x8 tiles executes 8 times its useful multiply-adds.</li>
 *   <li>Other FLOPs, from SASS thread instructions: 2 x FFMA + FADD + FMUL + 2 x HFMA + HADD + HMUL
 *       ({@code smsp__sass_thread_inst_executed_op_*_pred_on.sum}), the convention of Nsight Compute's fp32/fp16
 *       rooflines.</li>
 * </ul>
 */
public final class NcuMetrics {
    public static final String DRAM_READ = "dram__bytes_read.sum";
    public static final String DRAM_WRITE = "dram__bytes_write.sum";
    public static final String DURATION = "gpu__time_duration.sum";
    public static final List<String> TENSOR_OPS = List.of("sm__ops_path_tensor_src_fp16_dst_fp32.sum",
            "sm__ops_path_tensor_src_fp16_dst_fp16.sum", "sm__ops_path_tensor_src_bf16_dst_fp32.sum");
    static final String FFMA = "smsp__sass_thread_inst_executed_op_ffma_pred_on.sum";
    static final String FADD = "smsp__sass_thread_inst_executed_op_fadd_pred_on.sum";
    static final String FMUL = "smsp__sass_thread_inst_executed_op_fmul_pred_on.sum";
    static final String HFMA = "smsp__sass_thread_inst_executed_op_hfma_pred_on.sum";
    static final String HADD = "smsp__sass_thread_inst_executed_op_hadd_pred_on.sum";
    static final String HMUL = "smsp__sass_thread_inst_executed_op_hmul_pred_on.sum";

    /** Bytes only (one replay pass per kernel): for quick sweeps. */
    public static final List<String> BYTES = List.of(DRAM_READ, DRAM_WRITE, DURATION);
    /** Bytes and every FLOP counter. */
    public static final List<String> FULL = List.of(DRAM_READ, DRAM_WRITE, DURATION, TENSOR_OPS.get(0), TENSOR_OPS.get(1),
            TENSOR_OPS.get(2), FFMA, FADD, FMUL, HFMA, HADD, HMUL);

    private NcuMetrics() {
    }

    public static double dramBytes(NcuKernel k) {
        return k.metric(DRAM_READ) + k.metric(DRAM_WRITE);
    }

    public static double tensorFlops(NcuKernel k, double flopsPerTensorOp) {
        double s = 0;
        for (String m : TENSOR_OPS) s += k.metric(m);
        return s * flopsPerTensorOp;
    }

    public static double otherFlops(NcuKernel k) {
        return 2 * k.metric(FFMA) + k.metric(FADD) + k.metric(FMUL) + 2 * k.metric(HFMA) + k.metric(HADD) + k.metric(HMUL);
    }

    /** Whether the kernel carries any FLOP counter (a bytes-only run has none). */
    public static boolean hasFlopCounters(NcuKernel k) {
        return k.metrics().containsKey(TENSOR_OPS.get(0)) || k.metrics().containsKey(FFMA);
    }
}

package ssd.roofline.cost;

import ssd.common.Dtype;
import ssd.roofline.ModelShape;

import java.util.ArrayList;
import java.util.List;

/**
 * FLOPs and DRAM bytes of the decoder's fused-kernel forward ({@code FusedForward}, fp16/bf16, up to 64 rows), with
 * the same conventions as {@link ForwardCostModel} (every operand crosses DRAM once per kernel; a multiply-add is 2
 * FLOPs; layer norm 7, GELU 9 per element, softmax 6 per score). d = n_embd, r = rows, T = prefix + r, b = bytes per
 * element.
 *
 * <p>Below {@code cublasFromRows} rows, 5 kernels per layer, each reading its weights once and the residual stream
 * and writing only its output: ln1+qkv (K/V written straight into the cache), attention, out-proj+residual,
 * ln2+fc+GELU, proj+residual; then embed before and ln_f+LM head (float32 logits) and ATen's argmax after:
 * 5L + 3 kernels.
 *
 * <p>From {@code cublasFromRows} rows, 7 per layer: layer_norm (which also adds the previous proj's
 * {@link #SPLITS} float32 partials and bias into the residual), qkv GEMM, tree attention (reading the batch's K/V from
 * the qkv rows and copying it into the cache), out-proj as a split-K GEMM into float32 partials, layer_norm (adding
 * them), fc+GELU GEMM, proj split the same way; then ln_f, the LM head GEMM over the vocabulary rounded down to a
 * multiple of 8 (fp16 logits), widen_logits (float32 logits over the whole vocabulary) and argmax: 7L + 5 kernels.
 */
public final class FusedForwardCostModel {
    /** Largest batch the fused forward takes; above, the decoder runs ATen's ops. */
    public static final int MAX_ROWS = 64;
    /** The decoder's default row count from which the layers' linears are cuBLAS GEMMs. */
    public static final int CUBLAS_LINEARS_FROM_ROWS = 32;
    /** K slices of the split-K out-proj and proj. */
    public static final int SPLITS = 4;
    private static final long FLOAT = 4;

    private FusedForwardCostModel() {
    }

    public static Workload forward(ModelShape m, Dtype dtype, int prefixLen, int rows, int cublasFromRows) {
        if (prefixLen < 0) throw new IllegalArgumentException("prefix length must be >= 0, got " + prefixLen);
        if (rows < 1 || rows > MAX_ROWS) throw new IllegalArgumentException("fused forwards take 1.." + MAX_ROWS + " rows, got " + rows);
        if (dtype == Dtype.FP32) throw new IllegalArgumentException("the fused kernels run fp16 or bf16, not fp32");
        long b = dtype.bytes(), r = rows, d = m.nEmbd(), v = m.vocabSize(), t = (long) prefixLen + rows, rd = r * d;
        int ln = ForwardCostModel.LAYER_NORM_FLOPS_PER_ELEMENT, gelu = ForwardCostModel.GELU_FLOPS_PER_ELEMENT;
        long attnFlops = 4 * r * t * d + ForwardCostModel.SOFTMAX_FLOPS_PER_SCORE * (long) m.nHead() * r * t;
        boolean cublas = rows >= cublasFromRows;
        List<Kernel> ks = new ArrayList<>();
        ks.add(new Kernel("embed", -1, rd, 2 * rd * b, 0, 2 * r * ForwardCostModel.INDEX_BYTES + rd * b));
        long partials = SPLITS * rd * FLOAT;
        for (int layer = 0; layer < m.nLayer(); layer++) {
            if (!cublas) {
                ks.add(new Kernel("qkv", layer, 2 * rd * 3 * d + 3 * rd + ln * rd, (3 * d * d + 3 * d + 2 * d) * b, 2 * rd * b, 2 * rd * b));
                ks.add(new Kernel("attention", layer, attnFlops, 0, 2 * t * d * b, 2 * rd * b));
                ks.add(new Kernel("attn_proj", layer, 2 * rd * d + 2 * rd, (d * d + d) * b, 0, 3 * rd * b));
                ks.add(new Kernel("mlp_fc", layer, 2 * rd * 4 * d + 4 * rd + ln * rd + gelu * 4 * rd, (4 * d * d + 4 * d + 2 * d) * b, 0, 5 * rd * b));
                ks.add(new Kernel("mlp_proj", layer, 2 * rd * 4 * d + 2 * rd, (4 * d * d + d) * b, 0, 6 * rd * b));
            } else {
                long incoming = layer == 0 ? 0 : partials;
                ks.add(new Kernel("ln_1", layer, ln * rd + (layer == 0 ? 0 : SPLITS * rd), (2 * d + (layer == 0 ? 0 : d)) * b, 0, 3 * rd * b + incoming));
                ks.add(new Kernel("qkv", layer, 2 * rd * 3 * d + 3 * rd, (3 * d * d + 3 * d) * b, 0, 4 * rd * b));
                ks.add(new Kernel("attention", layer, attnFlops, 0, 2 * prefixLen * d * b + 4 * rd * b, 2 * rd * b));
                ks.add(new Kernel("attn_proj", layer, 2 * rd * d, d * d * b, 0, rd * b + partials));
                ks.add(new Kernel("ln_2", layer, ln * rd + SPLITS * rd, 3 * d * b, 0, 3 * rd * b + partials));
                ks.add(new Kernel("mlp_fc", layer, 2 * rd * 4 * d + 4 * rd + gelu * 4 * rd, (4 * d * d + 4 * d) * b, 0, 5 * rd * b));
                ks.add(new Kernel("mlp_proj", layer, 2 * rd * 4 * d, 4 * d * d * b, 0, 4 * rd * b + partials));
            }
        }
        if (!cublas) {
            ks.add(new Kernel("lm_head", -1, 2 * rd * v + ln * rd, (v * d + 2 * d) * b, 0, rd * b + r * v * FLOAT));
        } else {
            ks.add(new Kernel("ln_f", -1, ln * rd + SPLITS * rd, 3 * d * b, 0, 2 * rd * b + partials));
            long aligned = v / 8 * 8;
            ks.add(new Kernel("lm_head", -1, 2 * rd * aligned, aligned * d * b, 0, rd * b + r * aligned * b));
            ks.add(new Kernel("widen_logits", -1, 2 * rd * (v - aligned), (v - aligned) * d * b, 0, r * aligned * b + r * v * FLOAT));
        }
        ks.add(new Kernel("argmax", -1, r * v, 0, 0, r * v * FLOAT + r * ForwardCostModel.INDEX_BYTES));
        return new Workload("fused forward(s=" + prefixLen + ", r=" + rows + ")", ks, ks.size());
    }
}

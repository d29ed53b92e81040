package ssd.roofline.cost;

import ssd.common.Dtype;
import ssd.roofline.ModelShape;

import java.util.ArrayList;
import java.util.List;

/**
 * FLOPs and DRAM bytes of one GPT-2 forward: {@code n} new tokens (a tree batch or a prompt) on top of a KV prefix of
 * {@code s} tokens, every tensor in one dtype of {@code b} bytes. Let d = n_embd, h = n_head, V = vocab, T = s + n.
 *
 * <p>Assumptions (each chosen to match how the decoder runs, and spelled out so tests can count by hand):
 * <ul>
 *   <li>Every operand crosses DRAM once per kernel: weights are read once per forward, activations are written by
 *       one kernel and read by the next, nothing stays in L2 between kernels.</li>
 *   <li>Attention is one fused kernel (scaled dot-product attention): the n x T scores never reach DRAM. It reads Q
 *       and the K and V of all T positions. For n &gt; 1 it also takes the tree-ancestry mask: the decoder passes a
 *       boolean n x T mask (1 byte per entry), which libtorch's SDPA turns into an additive mask of the model's dtype
 *       in every block with two kernels, {@code where(logical_not(mask), -inf, 0)}. (On an H200, eager 2-token
 *       forwards cost about two ops per block more than 1-token ones.)</li>
 *   <li>New K and V are written to the cache by a separate copy kernel before attention reads them back.</li>
 *   <li>The LM head is tied to the token embedding and computes logits for all n tokens (tree verification needs
 *       each node's logits); an argmax kernel reads them and writes int64 token ids.</li>
 *   <li>Token ids and position ids (trees use depth as position) are int64. One host op per kernel.</li>
 * </ul>
 * FLOPs: a multiply-add is 2; a linear layer with bias is 2·n·in·out + n·out; layer norm 7 per element (mean sum,
 * subtract, square, variance sum, multiply by 1/std, scale, shift); GELU (tanh form) 9 per element; softmax 6 per
 * score (scale, max, subtract, exp, sum, divide); residual and embedding adds 1 per element; argmax 1 per logit.
 */
public final class ForwardCostModel {
    public static final int LAYER_NORM_FLOPS_PER_ELEMENT = 7;
    public static final int GELU_FLOPS_PER_ELEMENT = 9;
    public static final int SOFTMAX_FLOPS_PER_SCORE = 6;
    public static final int INDEX_BYTES = 8;
    public static final int MASK_BYTES_PER_ENTRY = 1;
    /** Kernels per transformer block for one new token; a forward has {@code KERNELS_PER_LAYER * n_layer + 4} kernels. */
    public static final int KERNELS_PER_LAYER = 11;
    /** Extra kernels per block when n &gt; 1 (mask conversion). */
    public static final int MASK_KERNELS_PER_LAYER = 2;

    private ForwardCostModel() {
    }

    public static Workload forward(ModelShape m, Dtype dtype, int prefixLen, int newTokens) {
        if (prefixLen < 0) throw new IllegalArgumentException("prefix length must be >= 0, got " + prefixLen);
        if (newTokens < 1) throw new IllegalArgumentException("new tokens must be >= 1, got " + newTokens);
        long b = dtype.bytes();
        long n = newTokens;
        long d = m.nEmbd();
        long v = m.vocabSize();
        long t = (long) prefixLen + newTokens;
        long nd = n * d;

        List<Kernel> ks = new ArrayList<>((KERNELS_PER_LAYER + MASK_KERNELS_PER_LAYER) * m.nLayer() + 4);
        // Gather n rows of the token and position tables and add them.
        ks.add(new Kernel("embed", -1, nd, 2 * nd * b, 0, 2 * n * INDEX_BYTES + nd * b));
        boolean masked = newTokens > 1;
        long boolMask = n * t * MASK_BYTES_PER_ENTRY;
        long additiveMask = n * t * b;
        for (int layer = 0; layer < m.nLayer(); layer++) {
            ks.add(layerNorm("ln_1", layer, n, d, b));
            ks.add(linear("qkv", layer, n, d, 3 * d, b));
            ks.add(new Kernel("kv_write", layer, 0, 0, 2 * nd * b, 2 * nd * b));
            if (masked) {
                ks.add(new Kernel("attn_mask_not", layer, 0, 0, 0, 2 * boolMask));
                ks.add(new Kernel("attn_mask_where", layer, 0, 0, 0, boolMask + additiveMask));
            }
            long attnFlops = 4 * n * t * d + SOFTMAX_FLOPS_PER_SCORE * (long) m.nHead() * n * t;
            ks.add(new Kernel("attention", layer, attnFlops, 0, 2 * t * d * b, nd * b + (masked ? additiveMask : 0) + nd * b));
            ks.add(linear("attn_proj", layer, n, d, d, b));
            ks.add(new Kernel("residual_1", layer, nd, 0, 0, 3 * nd * b));
            ks.add(layerNorm("ln_2", layer, n, d, b));
            ks.add(linear("mlp_fc", layer, n, d, 4 * d, b));
            ks.add(new Kernel("gelu", layer, GELU_FLOPS_PER_ELEMENT * 4 * nd, 0, 0, 2 * 4 * nd * b));
            ks.add(linear("mlp_proj", layer, n, 4 * d, d, b));
            ks.add(new Kernel("residual_2", layer, nd, 0, 0, 3 * nd * b));
        }
        ks.add(layerNorm("ln_f", -1, n, d, b));
        ks.add(new Kernel("lm_head", -1, 2 * n * d * v, v * d * b, 0, nd * b + n * v * b));
        ks.add(new Kernel("argmax", -1, n * v, 0, 0, n * v * b + n * INDEX_BYTES));
        String label = "forward(s=" + prefixLen + ", n=" + newTokens + ")";
        return new Workload(label, ks, ks.size());
    }

    /**
     * Moving the accepted path of a tree batch into place in the KV cache, as the decoder's {@code KVCache.commit}
     * does when the path does not already sit in the first pending slots: per block and for K and for V, an
     * index_select of the {@code kept} rows (reads int64 row indices) into a temporary, then a copy into place.
     */
    public static Workload kvCommit(ModelShape m, Dtype dtype, int kept) {
        if (kept < 0) throw new IllegalArgumentException("kept tokens must be >= 0, got " + kept);
        long rowBytes = (long) kept * m.nEmbd() * dtype.bytes();
        long indexBytes = (long) kept * INDEX_BYTES;
        List<Kernel> ks = new ArrayList<>(4 * m.nLayer());
        for (int layer = 0; layer < m.nLayer(); layer++) {
            for (String kv : new String[]{"k", "v"}) {
                ks.add(new Kernel("kv_commit_select_" + kv, layer, 0, 0, 2 * rowBytes, indexBytes));
                ks.add(new Kernel("kv_commit_copy_" + kv, layer, 0, 0, 2 * rowBytes, 0));
            }
        }
        return new Workload("kv_commit(" + kept + ")", ks, ks.size());
    }

    private static Kernel layerNorm(String name, int layer, long n, long d, long b) {
        return new Kernel(name, layer, LAYER_NORM_FLOPS_PER_ELEMENT * n * d, 2 * d * b, 0, 2 * n * d * b);
    }

    /** y = x W + bias with x: n x in, W: in x out. */
    private static Kernel linear(String name, int layer, long n, long in, long out, long b) {
        return new Kernel(name, layer, 2 * n * in * out + n * out, (in * out + out) * b, 0, (n * in + n * out) * b);
    }
}

package ssd.roofline.cost;

import org.junit.jupiter.api.Test;
import ssd.common.Dtype;
import ssd.roofline.ModelShape;
import ssd.roofline.ModelShapes;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Exact counts for a tiny config (2 layers, d=64, 4 heads, vocab 100, 128 positions), fp16 (2 bytes),
 * n = 3 new tokens on a prefix of s = 5 (T = 8), worked out by hand from the documented conventions.
 */
class ForwardCostModelTest {
    private static final ModelShape TINY = new ModelShape(2, 64, 4, 100, 128);

    /** flops, weight bytes, kv bytes, activation bytes of one kernel, by hand. */
    private static void expect(Map<String, Kernel> k, String name, long flops, long weights, long kv, long act) {
        Kernel x = k.get(name);
        assertThat(x).as(name).isNotNull();
        assertThat(new long[]{x.flops(), x.weightBytes(), x.kvBytes(), x.activationBytes()}).as(name)
                .containsExactly(flops, weights, kv, act);
    }

    @Test
    void everyKernelOfTinyTreeForwardMatchesHandCount() {
        Workload w = ForwardCostModel.forward(TINY, Dtype.FP16, 5, 3);
        Map<String, Kernel> layer0 = new java.util.LinkedHashMap<>();
        Map<String, Kernel> outside = new java.util.LinkedHashMap<>();
        for (Kernel k : w.kernels()) {
            if (k.layer() == 0) layer0.put(k.name(), k);
            if (k.layer() == -1) outside.put(k.name(), k);
        }
        // n*d = 192 elements of activation; 2 bytes each.
        expect(outside, "embed", 192, 2 * 192 * 2, 0, 2 * 3 * 8 + 192 * 2);          // 2 gathered rows/token, int64 ids
        expect(layer0, "ln_1", 7 * 192, 2 * 64 * 2, 0, 2 * 192 * 2);
        expect(layer0, "qkv", 2 * 3 * 64 * 192 + 3 * 192, (64 * 192 + 192) * 2, 0, (192 + 576) * 2);   // 74304 FLOPs
        expect(layer0, "kv_write", 0, 0, 2 * 192 * 2, 2 * 192 * 2);
        // The 3 x 8 boolean mask (1 byte each) is negated, then turned into an additive fp16 mask (2 bytes each).
        expect(layer0, "attn_mask_not", 0, 0, 0, 24 + 24);
        expect(layer0, "attn_mask_where", 0, 0, 0, 24 + 48);
        // QK^T and PV: 2 * 2*3*8*64; softmax 6 per score over 4 heads x 3 x 8; reads Q and the mask, writes the output.
        expect(layer0, "attention", 6144 + 576, 0, 2 * 8 * 64 * 2, 192 * 2 + 48 + 192 * 2);
        expect(layer0, "attn_proj", 2 * 3 * 64 * 64 + 192, (4096 + 64) * 2, 0, 2 * 192 * 2);
        expect(layer0, "residual_1", 192, 0, 0, 3 * 192 * 2);
        expect(layer0, "ln_2", 7 * 192, 256, 0, 768);
        expect(layer0, "mlp_fc", 2 * 3 * 64 * 256 + 3 * 256, (16384 + 256) * 2, 0, (192 + 768) * 2);
        expect(layer0, "gelu", 9 * 768, 0, 0, 2 * 768 * 2);
        expect(layer0, "mlp_proj", 2 * 3 * 256 * 64 + 192, (16384 + 64) * 2, 0, (768 + 192) * 2);
        expect(layer0, "residual_2", 192, 0, 0, 1152);
        expect(outside, "ln_f", 1344, 256, 0, 768);
        expect(outside, "lm_head", 2 * 3 * 64 * 100, 100 * 64 * 2, 0, 192 * 2 + 3 * 100 * 2);
        expect(outside, "argmax", 300, 0, 0, 600 + 24);

        // Totals summed by hand from the lines above: per layer 313,344 FLOPs, 99,968 weight bytes,
        // 2,816 KV bytes, 14,760 activation bytes.
        assertThat(w.flops()).isEqualTo(192 + 2 * 313_344 + 1344 + 38_400 + 300);          // 666,924
        assertThat(w.weightBytes()).isEqualTo(768 + 2 * 99_968 + 256 + 12_800);             // 213,760
        assertThat(w.kvBytes()).isEqualTo(2 * 2_816);
        assertThat(w.activationBytes()).isEqualTo(432 + 2 * 14_760 + 768 + 984 + 624);      // 32,328
        assertThat(w.bytes()).isEqualTo(251_720);
        assertThat(w.kernelCount()).isEqualTo(30);   // 13 per block with a mask, plus embed, ln_f, lm_head, argmax
        assertThat(w.hostOps()).isEqualTo(30);
        assertThat(w.arithmeticIntensity()).isCloseTo(666_924.0 / 251_720, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void oneTokenNeedsNoMaskAndWeightsDoubleInFp32() {
        Workload one = ForwardCostModel.forward(TINY, Dtype.FP16, 5, 1);
        Kernel attn = one.kernels().stream().filter(k -> k.name().equals("attention")).findFirst().orElseThrow();
        assertThat(attn.activationBytes()).isEqualTo(64 * 2 + 64 * 2);   // Q in, output out; no mask for n = 1
        assertThat(one.kernelCount()).isEqualTo(11 * 2 + 4);
        assertThat(attn.kvBytes()).isEqualTo(2 * 6 * 64 * 2);            // K and V of T = 6 positions

        Workload fp32 = ForwardCostModel.forward(TINY, Dtype.FP32, 5, 3);
        Workload fp16 = ForwardCostModel.forward(TINY, Dtype.FP16, 5, 3);
        assertThat(fp32.weightBytes()).isEqualTo(2 * fp16.weightBytes());
        assertThat(fp32.flops()).isEqualTo(fp16.flops());
    }

    @Test
    void batchOneWeightBytesAreTheParametersExceptUnusedPositionRows() {
        ModelShape large = ModelShapes.preset("gpt2-large");
        Workload w = ForwardCostModel.forward(large, Dtype.FP16, 0, 1);
        // Every parameter is read once, except that only one of the 1024 position rows is gathered and one
        // token-embedding row is read twice (the gather, then the tied LM head reads the whole table).
        long d = large.nEmbd();
        long expected = (large.parameters() - (large.nPositions() - 1) * d + d) * 2;
        assertThat(w.weightBytes()).isEqualTo(expected);
        // About 1 FLOP per byte at batch 1, as the paper says.
        assertThat(w.arithmeticIntensity()).isBetween(0.95, 1.05);
    }

    @Test
    void kvCommitSelectsThenCopiesKeptRowsOfKAndVInEveryLayer() {
        Workload c = ForwardCostModel.kvCommit(TINY, Dtype.FP16, 3);
        // 2 layers x (K, V) x (index_select, copy_).
        assertThat(c.kernelCount()).isEqualTo(8);
        // Each kernel reads and writes 3 rows x 64 x 2 bytes; each index_select also reads 3 int64 indices.
        assertThat(c.kvBytes()).isEqualTo(8 * (2 * 3 * 64 * 2));
        assertThat(c.activationBytes()).isEqualTo(4 * 3 * 8);
        assertThat(c.flops()).isZero();
    }

    @Test
    void rejectsEmptyBatches() {
        assertThatThrownBy(() -> ForwardCostModel.forward(TINY, Dtype.FP16, 0, 0))
                .hasMessageContaining("new tokens must be >= 1");
        assertThatThrownBy(() -> ForwardCostModel.forward(TINY, Dtype.FP16, -1, 1))
                .hasMessageContaining("prefix length must be >= 0");
    }
}

package ssd.decoder.model;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Context;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import ssd.common.Dtype;
import ssd.decoder.torch.Torch;

import java.nio.file.Path;

/**
 * GPT-2 on libtorch: configuration, weights and the maths of one block, nothing about how a forward is run.
 *
 * <p>The forwards that decode ({@code ssd.decoder.forward}) compose {@link #embed}, {@link #block} with an
 * {@link Attention} of their own (over a tree KV cache, dynamic or fixed-shape) and {@link #logits}. Two whole
 * forwards live here because they need no cache of the tree kind: {@link #forwardFull} (plain causal, the reference
 * and the training forward) and {@link #forwardBatch} (many sequences advancing together, for sampling).
 */
public final class GPT2Model implements AutoCloseable {
    private final GPT2Config config;
    private final GPT2Weights weights;
    private final Device device;
    private final torch.ScalarType dtype;
    private final long matrixBytes;
    /** CPU only: the LM head as [embd, vocab], made on the first one-row step (see {@link #lmHead}). */
    private Tensor lmHeadColumns;

    public GPT2Model(GPT2Weights weights) {
        this.config = weights.config();
        this.weights = weights;
        this.device = weights.device();
        this.dtype = weights.scalarType();
        long m = 0;
        for (GPT2Weights.Block b : weights.blocks()) for (Tensor t : b.tensors()) m += t.nbytes();
        this.matrixBytes = m + weights.lnfWeight().nbytes() + weights.lnfBias().nbytes() + weights.wte().nbytes();
    }

    public static GPT2Model load(Path dir, Dtype dtype, Device device) {
        return new GPT2Model(GPT2Checkpoint.load(dir, dtype, device));
    }

    public GPT2Config config() {
        return config;
    }

    public GPT2Weights weights() {
        return weights;
    }

    public Device device() {
        return device;
    }

    public Dtype dtype() {
        return Torch.dtypeOf(weights.wte());
    }

    public torch.ScalarType scalarType() {
        return dtype;
    }

    /** Bytes of every matrix, bias and norm a forward streams (the LM head's tied embedding included, once). */
    public long matrixBytes() {
        return matrixBytes;
    }

    /** A cache for {@code batch} sequences advancing together, up to {@code capacity} tokens each. */
    public BatchCache newBatchCache(int batch, int capacity) {
        return new BatchCache(config, batch, capacity, device, dtype);
    }

    /**
     * Batched causal forward on a {@link BatchCache}: ids [batch, n] with n tokens per sequence, either a prefill
     * (empty cache) or one token per sequence. Returns float32 logits of the last position, [batch, vocab]; the
     * caller owns the tensor. Temporaries are freed before returning.
     */
    public Tensor forwardBatch(BatchCache cache, Tensor ids) {
        long b = ids.size(0), n = ids.size(1);
        if (b != cache.batch()) throw new IllegalArgumentException("ids have batch " + b + " but the cache holds " + cache.batch());
        if (cache.length() > 0 && n != 1) throw new IllegalArgumentException("after the prefill, forwardBatch takes one token per sequence");
        if (cache.length() + n > cache.capacity()) {
            throw new ContextOverflowException("batch cache full: " + cache.length() + " + " + n + " > " + cache.capacity());
        }
        int slot = cache.length();
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            Tensor pos = torch.arange(new Scalar(slot), new Scalar(slot + n))
                    .to(device, torch.ScalarType.Long).view(1, n);
            Tensor x = torch.embedding(weights.wte(), ids).add(torch.embedding(weights.wpe(), pos));
            boolean prefill = slot == 0;
            Attention attention = (l, q, kv) -> {
                cache.keys(l).narrow(2, slot, n).copy_(kv.select(0, 0));
                cache.values(l).narrow(2, slot, n).copy_(kv.select(0, 1));
                Tensor keys = cache.keys(l).narrow(2, 0, slot + n);
                Tensor values = cache.values(l).narrow(2, 0, slot + n);
                // A prefill from empty is plain causal; a single new token attends to everything before it.
                return dynamicShapeAttention(q, keys, values, null, prefill && n > 1);
            };
            for (int l = 0; l < config.nLayer(); l++) x = block(l, x, b, n, attention);
            x = layerNorm(x.narrow(1, n - 1, 1), weights.lnfWeight(), weights.lnfBias());
            Tensor logits = lmHead(x).view(b, config.vocabSize()).to(torch.ScalarType.Float);
            logits.retainReference();
            cache.advance((int) n);
            return logits;
        }
    }

    /** Parent pointers of a chain: token i follows token i-1, the first follows the prefix (or the last pending node). */
    public static int[] chain(int n, int firstParent) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i == 0 ? firstParent : firstParent < 0 ? i - 1 : firstParent + i;
        return p;
    }

    /**
     * Attention of one layer over the new tokens' q [batch, heads, T, headDim] and k/v stacked as [2, batch, heads, T,
     * headDim] (one tensor, so a cache can store both with one copy) -> [batch, heads, T, headDim].
     */
    public interface Attention {
        Tensor apply(int layer, Tensor q, Tensor kv);
    }

    /** Token plus position embeddings: ids and positions [batch, n] (long, on the model's device) -> [batch, n, d]. */
    public Tensor embed(Tensor ids, Tensor positions) {
        return torch.embedding(weights.wte(), ids).add(torch.embedding(weights.wpe(), positions));
    }

    /** Final layer norm and the tied LM head: [.., d] -> [.., vocab] in the model dtype. */
    public Tensor logits(Tensor x) {
        return lmHead(layerNorm(x, weights.lnfWeight(), weights.lnfBias()));
    }

    /** Transformer block {@code l} on x [batch, n, d], its attention supplied by the caller (the cache decides). */
    public Tensor block(int l, Tensor x, long batch, long n, Attention attention) {
        GPT2Weights.Block b = weights.blocks().get(l);
        int d = config.nEmbd(), h = config.nHead(), hd = config.headDim();
        Tensor qkv = linear(layerNorm(x, b.ln1Weight(), b.ln1Bias()), b.attnWeight(), b.attnBias());
        Tensor heads = qkv.view(batch, n, 3, h, hd);
        Tensor q = heads.select(2, 0).transpose(1, 2);
        Tensor kv = heads.narrow(2, 1, 2).permute(2, 0, 3, 1, 4);
        Tensor attn = attention.apply(l, q, kv).transpose(1, 2).reshape(batch, n, d);
        x = x.add(linear(attn, b.attnProjWeight(), b.attnProjBias()));
        Tensor hidden = linearGelu(layerNorm(x, b.ln2Weight(), b.ln2Bias()), b.fcWeight(), b.fcBias());
        return x.add(linear(hidden, b.mlpProjWeight(), b.mlpProjBias()));
    }

    private static final Attention CAUSAL = (l, q, kv) ->
            torch.scaled_dot_product_attention(q, kv.select(0, 0), kv.select(0, 1), new TensorOptional(), 0.0, true, new DoubleOptional(), false);

    /**
     * Attention whose key length changes from call to call. On CUDA the cuDNN backend is switched off for it: cuDNN
     * builds an execution plan per shape (measured at ~45 ms per call on an H200 when the key length grows by one each
     * step, against 0.1 ms for the other kernels), which suits fixed-shape graphs and ruins eager decoding.
     */
    public static Tensor dynamicShapeAttention(Tensor q, Tensor keys, Tensor values, Tensor mask, boolean causal) {
        TensorOptional maskOpt = mask == null ? new TensorOptional() : new TensorOptional(mask);
        if (!q.is_cuda()) return torch.scaled_dot_product_attention(q, keys, values, maskOpt, 0.0, causal, new DoubleOptional(), false);
        Context context = torch.globalContext();
        boolean cudnn = context.userEnabledCuDNNSDP();
        context.setSDPUseCuDNN(false);
        try {
            return torch.scaled_dot_product_attention(q, keys, values, maskOpt, 0.0, causal, new DoubleOptional(), false);
        } finally {
            context.setSDPUseCuDNN(cudnn);
        }
    }

    /**
     * gelu(x W^T + b). On CUDA with GPT-2's tanh GELU, one cuBLASLt matmul with a bias+GELU epilogue instead of a
     * matmul and an elementwise kernel (ATen's _addmm_activation uses the tanh form on every device).
     */
    private Tensor linearGelu(Tensor x, Tensor w, Tensor bias) {
        if (config.tanhGelu() && x.is_cuda() && !x.requires_grad()) {
            long[] shape = x.sizes().vec().get();
            long in = shape[shape.length - 1];
            shape[shape.length - 1] = w.size(0);
            return bias._addmm_activation(x.reshape(-1, in), w.t(), new Scalar(1), new Scalar(1), true).view(shape);
        }
        Tensor h = linear(x, w, bias);
        return config.tanhGelu() ? torch.gelu(h, "tanh") : torch.gelu(h);
    }

    /**
     * x W^T + b. A single row on the CPU goes through matrix-vector (addmv/mv): BLAS's gemm with one row is several
     * times slower than its gemv, and the one-token decode step is exactly that case.
     */
    private static Tensor linear(Tensor x, Tensor w, Tensor bias) {
        long in = w.size(1);
        if (!x.is_cuda() && x.numel() == in && !x.requires_grad()) {
            Tensor v = x.reshape(in);
            Tensor y = bias == null ? torch.mv(w, v) : torch.addmv(bias, w, v);
            return y.view(oneRowShape(x, w.size(0)));
        }
        return bias == null ? torch.linear(x, w) : torch.linear(x, w, new TensorOptional(bias));
    }

    /**
     * Logits of the tied LM head. A one-row CPU step multiplies by a [embd, vocab] copy of the embedding instead:
     * OpenBLAS's gemv streams that layout at ~44 GB/s on the 2-core CI VM against ~27 GB/s for [vocab, embd], and the
     * head is a third of GPT-2-small's weight bytes. Costs one more copy of the embedding in memory, made lazily.
     */
    private Tensor lmHead(Tensor x) {
        if (x.is_cuda() || x.numel() != config.nEmbd() || x.requires_grad()) return linear(x, weights.wte(), null);
        synchronized (this) {
            if (lmHeadColumns == null) {
                try (PointerScope scope = new PointerScope()) {
                    lmHeadColumns = weights.wte().t().contiguous();
                    lmHeadColumns.retainReference();
                }
            }
        }
        return torch.mv(lmHeadColumns.t(), x.reshape(config.nEmbd())).view(oneRowShape(x, config.vocabSize()));
    }

    /**
     * The shape of a one-row input (every dimension 1 but the last) with the last set to {@code last}. Built from
     * {@code dim()} because reading {@code sizes()} through JNI costs ~3 us, a tenth of a small layer's step.
     */
    private static long[] oneRowShape(Tensor oneRow, long last) {
        long[] shape = new long[(int) oneRow.dim()];
        java.util.Arrays.fill(shape, 1L);
        shape[shape.length - 1] = last;
        return shape;
    }

    private Tensor layerNorm(Tensor x, Tensor w, Tensor b) {
        return torch.layer_norm(x, new long[]{config.nEmbd()}, new TensorOptional(w), new TensorOptional(b),
                config.layerNormEpsilon(), true);
    }

    /**
     * Plain causal forward of whole sequences without a cache: ids [batch, T] -> logits [batch, T, vocab] in the
     * model dtype. The reference the cached paths are tested against, and the training forward.
     */
    public Tensor forwardFull(Tensor ids) {
        long bsz = ids.size(0), t = ids.size(1);
        if (t > config.nPositions()) throw new ContextOverflowException(t + " tokens exceed the context of " + config.nPositions());
        Tensor pos = torch.arange(new Scalar(t)).to(device, torch.ScalarType.Long).view(1, t);
        Tensor x = torch.embedding(weights.wte(), ids).add(torch.embedding(weights.wpe(), pos));
        for (int l = 0; l < config.nLayer(); l++) x = block(l, x, bsz, t, CAUSAL);
        x = layerNorm(x, weights.lnfWeight(), weights.lnfBias());
        return torch.linear(x, weights.wte());
    }

    @Override
    public void close() {
        if (lmHeadColumns != null) lmHeadColumns.close();
        weights.close();
    }
}

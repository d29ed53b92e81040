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
import ssd.decoder.checkpoint.DType;

import java.nio.file.Path;

/**
 * GPT-2 inference on libtorch with a tree-capable KV cache.
 *
 * <p>{@link #forward(KVCache, int[], int[])} runs a batch of new tokens with parent pointers on top of the cache:
 * each token's position is prefix length + depth, and it attends to the whole committed prefix plus its pending
 * ancestors and itself (scaled_dot_product_attention with a boolean mask). A chain (parents i-1) is an ordinary
 * prefill; a single token is an ordinary decode step. Every temporary of a forward lives in a {@link PointerScope},
 * so native memory stays flat across a decode loop.
 *
 * <p>How a forward runs is a property of the cache ({@link ForwardMode}): caches from {@link #newCache(int)} take the
 * model's {@link #setForwardMode(ForwardMode) default mode} (eager unless changed), {@link #newCache(int, ForwardMode)}
 * names one. The eager dynamic path is the reference; the static and CUDA-graph paths compute the same logits.
 */
public final class GPT2Model implements AutoCloseable {
    private final GPT2Config config;
    private final GPT2Weights weights;
    private final Device device;
    private final torch.ScalarType dtype;
    private final long matrixBytes;
    private final KVStoragePool storagePool;
    private volatile ForwardMode forwardMode = ForwardMode.EAGER;
    private volatile ForwardKernels kernels = ForwardKernels.FUSED;
    /** Why the fused kernels cannot run this model, or null if they can. */
    private final String fusedUnsupported;
    /** CPU only: the LM head as [embd, vocab], made on the first one-row step (see {@link #lmHead}). */
    private Tensor lmHeadColumns;

    public GPT2Model(GPT2Weights weights) {
        TorchThreads.applyConfigured();
        this.config = weights.config();
        this.weights = weights;
        this.device = weights.device();
        this.dtype = weights.scalarType();
        long m = 0;
        for (GPT2Weights.Block b : weights.blocks()) for (Tensor t : b.tensors()) m += t.nbytes();
        this.matrixBytes = m + weights.lnfWeight().nbytes() + weights.lnfBias().nbytes() + weights.wte().nbytes();
        this.storagePool = new KVStoragePool(config, device, dtype, StaticForward.MAX_BUCKET);
        this.fusedUnsupported = FusedForward.unsupportedReason(config, dtype, device.is_cuda());
    }

    public static GPT2Model load(Path dir, DType dtype, Device device) {
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

    public DType dtype() {
        return Torch.dtypeOf(weights.wte());
    }

    /**
     * The forward mode of caches made by {@link #newCache(int)} from now on (caches already made keep theirs).
     * {@link ForwardMode#CUDA_GRAPH} needs the model on a CUDA device.
     */
    public GPT2Model setForwardMode(ForwardMode mode) {
        requireSupported(mode);
        this.forwardMode = mode;
        return this;
    }

    public ForwardMode forwardMode() {
        return forwardMode;
    }

    /** The kernels of fixed-shape forwards made from now on ({@link ForwardKernels#FUSED} by default). */
    public GPT2Model setKernels(ForwardKernels kernels) {
        this.kernels = kernels;
        return this;
    }

    public ForwardKernels kernels() {
        return kernels;
    }

    /** Whether fixed-shape forwards of up to {@link FusedForward#MAX_ROWS} tokens run the fused kernels. */
    public boolean usesFusedKernels() {
        return kernels == ForwardKernels.FUSED && fusedUnsupported == null;
    }

    /** Why this model's fixed-shape forwards run ATen even with {@link ForwardKernels#FUSED}; null if they do not. */
    public String fusedKernelsUnsupportedReason() {
        return fusedUnsupported;
    }

    private void requireSupported(ForwardMode mode) {
        if (mode == ForwardMode.CUDA_GRAPH && !device.is_cuda()) {
            throw new IllegalArgumentException("CUDA graphs need a CUDA device; this model is on " + device.str().getString());
        }
    }

    /** A cache for one sequence with room for the full context plus {@code maxPending} speculative nodes. */
    public KVCache newCache(int maxPending) {
        return newCache(maxPending, forwardMode);
    }

    /**
     * A cache whose forwards run in {@code mode}. Static and CUDA-graph caches reserve padding slots and borrow their
     * K/V storage from a pool of this model's, returned on close, so the static tensors and graphs built for it are
     * reused by later caches rather than rebuilt per generation.
     */
    public KVCache newCache(int maxPending, ForwardMode mode) {
        if (mode == ForwardMode.EAGER) return new KVCache(config, maxPending, device, dtype);
        requireSupported(mode);
        if (maxPending < 1) throw new IllegalArgumentException("maxPending must be at least 1, got " + maxPending);
        return new KVCache(config, maxPending, mode, storagePool.take(maxPending), storagePool::give);
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
     * Runs {@code tokens} as new pending nodes of {@code cache} ({@code parents[i]} is a pending index or -1) and
     * returns their next-token logits. Their K/V stay pending until {@link KVCache#commit(int[])}.
     */
    public Logits forward(KVCache cache, int[] tokens, int[] parents) {
        if (tokens.length == 0) throw new IllegalArgumentException("forward needs at least one token");
        if (tokens.length != parents.length) throw new IllegalArgumentException(tokens.length + " tokens but " + parents.length + " parents");
        for (int t : tokens) {
            if (t < 0 || t >= config.vocabSize()) {
                throw new IllegalArgumentException("token id " + t + " is outside the model's vocabulary [0, " + config.vocabSize() + ")");
            }
        }
        if (cache.mode() != ForwardMode.EAGER && tokens.length <= StaticForward.MAX_BUCKET) return forwardStatic(cache, tokens, parents);
        return forwardDynamic(cache, tokens, parents);
    }

    /** The reference path: shapes follow the batch and the cache length. */
    private Logits forwardDynamic(KVCache cache, int[] tokens, int[] parents) {
        int n = tokens.length;
        int slot = cache.length() + cache.pendingCount();
        long[] positions = cache.appendPending(parents);
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            byte[] maskBytes = cache.maskForLast(n);
            int keysAttended = slot + n;
            Tensor mask = maskBytes == null ? null : Torch.bools(maskBytes, new long[]{n, keysAttended}, device);
            long[] ids = new long[n];
            for (int i = 0; i < n; i++) ids[i] = tokens[i];
            Tensor idT = Torch.longs(ids, device).view(1, n);
            Tensor posT = Torch.longs(positions, device).view(1, n);
            Tensor x = torch.embedding(weights.wte(), idT).add(torch.embedding(weights.wpe(), posT));
            Attention attention = cachedAttention(cache, slot, n, keysAttended, mask);
            for (int l = 0; l < config.nLayer(); l++) x = block(l, x, 1, n, attention);
            x = layerNorm(x, weights.lnfWeight(), weights.lnfBias());
            Tensor logits = lmHead(x).view(n, config.vocabSize()).to(torch.ScalarType.Float);
            logits.retainReference();
            return new Logits(logits, n, config.vocabSize(), stats(n, keysAttended));
        } catch (RuntimeException e) {
            cache.dropLastPending(n);
            throw e;
        }
    }

    /**
     * The fixed-shape path: inputs copied into the static tensors of the smallest bucket that fits, then the static
     * forward run eagerly or its CUDA graph replayed. Stats are those of the dynamic path (keys actually attended),
     * so traffic accounting does not depend on the mode.
     */
    private Logits forwardStatic(KVCache cache, int[] tokens, int[] parents) {
        int n = tokens.length;
        int slot = cache.length() + cache.pendingCount();
        long[] positions = cache.appendPending(parents);
        try (PointerScope scope = new PointerScope()) {
            int bucket = StaticForward.bucketFor(n);
            boolean fused = bucket <= FusedForward.MAX_ROWS && usesFusedKernels();
            int key = StaticForward.key(bucket, fused);
            KVStorage kv = cache.storage();
            StaticForward sf = kv.staticForward(key, k -> new StaticForward(this, kv, bucket, fused));
            sf.load(cache, tokens, positions, slot);
            if (cache.mode() == ForwardMode.CUDA_GRAPH) {
                // Referenced only here, so CPU runs never load the CUDA classes.
                kv.graph(key, () -> CudaGraphForward.capture(sf)).replay();
            } else {
                sf.compute();
            }
            Tensor logits = sf.logitsCopy(n);
            logits.retainReference();
            cache.countStaticForward();
            return new Logits(logits, n, config.vocabSize(), stats(n, slot + n));
        } catch (RuntimeException e) {
            cache.dropLastPending(n);
            throw e;
        }
    }

    /**
     * The static forward's device work: ids and positions [1, N], slots [N], an additive attention mask [N, slots] in
     * the model dtype; K/V go to {@code slots} of every layer, attention runs over the storage's full width under
     * the mask, and float32 logits are written into {@code out} [N, vocab]. No host integer varies between calls.
     */
    void staticForward(Tensor ids, Tensor positions, Tensor slots, Tensor mask, KVStorage kv, Tensor out) {
        long n = ids.size(1);
        Tensor x = torch.embedding(weights.wte(), ids).add(torch.embedding(weights.wpe(), positions));
        TensorOptional maskOpt = new TensorOptional(mask);
        Attention attention = (l, q, newKv) -> {
            kv.keysAndValues(l).index_copy_(3, slots, newKv);
            return torch.scaled_dot_product_attention(q, kv.keys(l), kv.values(l), maskOpt, 0.0, false, new DoubleOptional(), false);
        };
        for (int l = 0; l < config.nLayer(); l++) x = block(l, x, 1, n, attention);
        x = layerNorm(x, weights.lnfWeight(), weights.lnfBias());
        out.copy_(lmHead(x).view(n, config.vocabSize()));
    }

    /**
     * Attention of one layer over the new tokens' q [batch, heads, T, headDim] and k/v stacked as [2, batch, heads, T,
     * headDim] (one tensor, so a cache can store both with one copy) -> [batch, heads, T, headDim].
     */
    private interface Attention {
        Tensor apply(int layer, Tensor q, Tensor kv);
    }

    private Tensor block(int l, Tensor x, long batch, long n, Attention attention) {
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

    /** Writes the new K/V into the cache slots, then attends over prefix + pending under the tree mask. */
    private static Attention cachedAttention(KVCache cache, int slot, int n, int keysAttended, Tensor mask) {
        return (l, q, kv) -> {
            cache.keysAndValues(l).narrow(3, slot, n).copy_(kv);
            Tensor keys = cache.keys(l).narrow(2, 0, keysAttended);
            Tensor values = cache.values(l).narrow(2, 0, keysAttended);
            return dynamicShapeAttention(q, keys, values, mask, false);
        };
    }

    private static final Attention CAUSAL = (l, q, kv) ->
            torch.scaled_dot_product_attention(q, kv.select(0, 0), kv.select(0, 1), new TensorOptional(), 0.0, true, new DoubleOptional(), false);

    /**
     * Attention whose key length changes from call to call. On CUDA the cuDNN backend is switched off for it: cuDNN
     * builds an execution plan per shape (measured at ~45 ms per call on an H200 when the key length grows by one each
     * step, against 0.1 ms for the other kernels), which suits fixed-shape graphs and ruins eager decoding.
     */
    private static Tensor dynamicShapeAttention(Tensor q, Tensor keys, Tensor values, Tensor mask, boolean causal) {
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

    private ForwardStats stats(int n, int keysAttended) {
        long elem = weights.wte().element_size();
        long rowBytes = (long) config.nEmbd() * elem;
        // Embedding lookups read n rows of wte and wpe; the LM head reads all of wte (counted in matrixBytes).
        long weightBytes = matrixBytes + 2L * n * rowBytes;
        long kvRead = 2L * config.nLayer() * keysAttended * rowBytes;
        long kvWritten = 2L * config.nLayer() * n * rowBytes;
        return new ForwardStats(n, keysAttended, weightBytes, kvRead, kvWritten);
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
        storagePool.close();
        weights.close();
    }
}

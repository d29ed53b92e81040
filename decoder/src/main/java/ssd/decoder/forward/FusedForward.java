package ssd.decoder.forward;

import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch_cuda;
import ssd.decoder.cache.KVStorage;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.model.GPT2Weights;
import ssd.decoder.torch.Torch;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link StaticForward}'s device work as the fused kernels of {@code gpt2_fused.cu}: an embedding kernel, five
 * kernels per layer (ln1+qkv writing K/V into the cache, attention over the valid keys, out-proj+residual,
 * ln2+fc+GELU, proj+residual) and ln_f+LM head; 5L + 2 launches where the ATen path makes about 15 per layer (with
 * more than 8 rows, the three layer norms are kernels of their own: 7L + 3). Same
 * inputs and outputs as the ATen static forward (ids, positions, slots, mask, logits), plus {@code limits} = {real
 * rows, key limit} so attention skips padding rows and the storage's unused slots. Every step is built once with
 * its arguments, so {@link #run()} costs one driver call per kernel eagerly and nothing extra inside a graph.
 *
 * <p>For fp16 models on CUDA (compute capability 8.0+), head size 32 or 64, widths a multiple of 32, and at most
 * {@link #MAX_ROWS} rows (the linear kernel holds 8 to 64 token rows in its tensor-core tiles). On Hopper, tree
 * batches run their narrow linears as cluster linears that split K over up to 8 blocks ({@link ClusterLinears}).
 * From {@link FusedOptions#cublasLinearsFromRows()} rows the linears are cuBLAS GEMMs instead ({@link CublasLinears}): per layer
 * layer_norm, qkv GEMM, tree attention (which also copies K/V into the cache), out-proj as a split-K batched GEMM into
 * float32 partials, residual + layer_norm (which sums the partials), fc+GELU GEMM, proj split the same way, its
 * partials and residual joining in the next layer norm; the LM head is a GEMM over the vocabulary rounded down to a
 * multiple of 8 plus widen_logits.
 */
final class FusedForward implements AutoCloseable {
    static final int MAX_ROWS = ForwardKernels.FUSED_MAX_ROWS;
    // Launch geometry: block sizes are 32 x the warps gpt2_fused.cu compiles for (FusedKernelGeometryTest reads both).
    static final int LINEAR_THREADS = 256;
    static final int ATTENTION_THREADS = 256;
    static final int ROW_ATTENTION_THREADS = 256;
    private static final int EMBED_THREADS = 128;
    /** Blocks per row of widen_logits (the kernel reads it from its grid). */
    private static final int LOGIT_SLICES = 8;
    /**
     * K slices of the out-proj and proj with cuBLAS linears: at 64 rows on an H200, 4 slices took the out-proj from
     * 5.1 to 3.9 us and the proj from 8.5 (split-K plus its reduction kernel) to 6.4 us
     * (results/h200/tree-linears/proj-split.log); the layer_norm kernel sums up to 4 partials in one round trip.
     */
    static final int LINEAR_SPLITS = 4;
    /** Widest rows the layer_norm kernel takes: a block of at most 1024 threads, 8 elements each. */
    static final int MAX_NORM_WIDTH = 8 * 1024;

    private final byte device;
    private final List<ForwardStep> steps = new ArrayList<>();
    /** Blocks of a linear a multiprocessor holds (their launch bounds cap registers for two). */
    private static final int LINEAR_BLOCKS_PER_SM = 2;

    private final Tensor x, normed, attention;
    /** The fused qkv linear's q rows and the fused MLP's hidden rows; null with cuBLAS linears. */
    private final Tensor q, hidden;
    /** With cuBLAS linears (else null): the qkv rows, which attention reads q from and copies K/V out of, and the
     * out-proj's / proj's float32 partials [LINEAR_SPLITS, rows, d] that the next layer_norm sums into the residual. */
    private final Tensor qkv, partials;
    /** With cuBLAS linears (else null): the LM head's first vocab / 8 * 8 columns in fp16, which widen_logits finishes. */
    private final Tensor alignedLogits;

    /** Null if {@code model} can run fused forwards, else why not (for messages and for choosing the ATen path). */
    static String unsupportedReason(GPT2Config c, torch.ScalarType dtype, boolean cuda) {
        if (!cuda) return "fused kernels run on CUDA only";
        if (dtype.value != torch.ScalarType.Half.value) return "fused kernels are fp16 only, the model is " + dtype;
        if (c.headDim() != 32 && c.headDim() != 64) return "fused attention needs head size 32 or 64, not " + c.headDim();
        if (c.nEmbd() % 32 != 0 || c.nInner() % 32 != 0) return "fused linears need widths that are multiples of 32";
        if (c.nEmbd() > MAX_NORM_WIDTH) return "fused layer norms take widths up to " + MAX_NORM_WIDTH + ", not " + c.nEmbd();
        return null;
    }

    FusedForward(GPT2Model model, KVStorage kv, int bucket, FusedOptions options, Tensor ids, Tensor positions, Tensor slots,
                 Tensor mask, Tensor limits, Tensor logits) {
        if (bucket > MAX_ROWS) throw new IllegalArgumentException("fused forwards take at most " + MAX_ROWS + " rows, not " + bucket);
        GPT2Config c = model.config();
        GPT2Weights w = model.weights();
        this.device = model.device().index() < 0 ? torch_cuda.current_device() : model.device().index();
        this.clusterLinears = options.clusterLinears();
        FusedKernels k = FusedKernels.forDevice(device, options.programmaticLaunch());
        int tiles = tilesFor(bucket);
        int rows = 8 * tiles; // the mma tiles read whole groups of 8 rows; rows past the bucket stay zero
        int d = c.nEmbd(), inner = c.nInner(), hd = c.headDim();
        float eps = (float) c.layerNormEpsilon();
        boolean cublas = usesCublasLinears(bucket, options.cublasLinearsFromRows());
        try (PointerScope scope = new PointerScope()) {
            x = zeros(model, rows, d);
            normed = zeros(model, rows, d);
            q = cublas ? null : zeros(model, rows, d);
            attention = zeros(model, rows, d);
            hidden = cublas ? null : zeros(model, rows, inner);
            qkv = cublas ? zeros(model, rows, 3 * d) : null;
            partials = cublas ? keep(Torch.zeros(new long[]{LINEAR_SPLITS, rows, d}, model.device(), torch.ScalarType.Float)) : null;
            alignedLogits = cublas ? zeros(model, rows, c.vocabSize() / 8 * 8) : null;
            requireAligned(w);
            steps.add(k.launch("embed", bucket, 1, EMBED_THREADS)
                    .tensor(ids).tensor(positions).tensor(w.wte()).tensor(w.wpe()).tensor(x).i32(d).build());
            // Up to 8 rows the linears normalize their input themselves; with more, every block would redo it, so a
            // layer_norm kernel writes the normalized rows once.
            boolean separateNorm = tiles > 1;
            // With cuBLAS linears: the bias of the proj whose partials still wait to join the residual stream.
            Tensor pendingProjBias = null;
            for (int l = 0; l < c.nLayer(); l++) {
                GPT2Weights.Block b = w.blocks().get(l);
                Tensor layerKv = kv.keysAndValues(l);
                if (cublas) {
                    // The previous layer's proj partials join the residual stream in this layer's first layer norm.
                    steps.add(layerNorm(k, bucket, d, pendingProjBias, b.ln1Weight(), b.ln1Bias(), eps));
                    steps.add(CublasLinears.affine(normed, b.attnWeight(), b.attnBias(), qkv));
                    // Attention reads q and the batch's own K/V from the qkv rows, and copies that K/V into the cache slots.
                    steps.add(attend(k, c, kv, tiles, bucket, qkv, slots, layerKv, mask, limits));
                    steps.add(CublasLinears.splitK(attention, b.attnProjWeight(), partials));
                    steps.add(layerNorm(k, bucket, d, b.attnProjBias(), b.ln2Weight(), b.ln2Bias(), eps));
                    steps.add(CublasLinears.mlp(normed, b.fcWeight(), b.fcBias(), b.mlpProjWeight(), partials));
                    pendingProjBias = b.mlpProjBias();
                    continue;
                }
                Normalized ln1 = normalize(k, separateNorm, bucket, d, b.ln1Weight(), b.ln1Bias(), eps);
                steps.add(linear(k, "linear_qkv", tiles, bucket, 3 * d, d, ln1, b.attnWeight(), b.attnBias(), q)
                        .tensor(slots).tensor(layerKv).i32(kv.slots()).i32(hd).build());
                steps.add(attend(k, c, kv, tiles, bucket, q, null, layerKv, mask, limits));
                steps.add(withoutCache(linear(k, "linear_residual", tiles, bucket, d, d, plain(attention), b.attnProjWeight(),
                        b.attnProjBias(), x)));
                Normalized ln2 = normalize(k, separateNorm, bucket, d, b.ln2Weight(), b.ln2Bias(), eps);
                steps.add(withoutCache(linear(k, "linear_gelu", tiles, bucket, inner, d, ln2, b.fcWeight(), b.fcBias(), hidden)));
                steps.add(withoutCache(linear(k, "linear_residual", tiles, bucket, d, inner, plain(hidden), b.mlpProjWeight(),
                        b.mlpProjBias(), x)));
            }
            if (cublas) {
                steps.add(layerNorm(k, bucket, d, pendingProjBias, w.lnfWeight(), w.lnfBias(), eps));
                int aligned = c.vocabSize() / 8 * 8;
                steps.add(CublasLinears.alignedLogits(normed, w.wte(), aligned, alignedLogits));
                steps.add(k.launch("widen_logits", bucket, LOGIT_SLICES, LINEAR_THREADS).tensor(alignedLogits).i32(aligned)
                        .tensor(normed).tensor(w.wte()).i32(d).i32(c.vocabSize()).tensor(logits).build());
            } else {
                Normalized lnf = normalize(k, separateNorm, bucket, d, w.lnfWeight(), w.lnfBias(), eps);
                steps.add(withoutCache(linear(k, "linear_logits", tiles, bucket, c.vocabSize(), d, lnf, w.wte(), null, logits)));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static Tensor zeros(GPT2Model model, int rows, int width) {
        return keep(Torch.zeros(new long[]{rows, width}, model.device(), torch.ScalarType.Half));
    }

    /**
     * Attention of every row over the cache: one row per block up to 8 rows; with more, blocks of 16 rows share each
     * key and value read. With {@code slots} (tree batches only), {@code queries} are the qkv rows: the kernel reads the
     * batch's own K/V from them (StaticForward gives the real rows the slots just below the key limit) and copies it
     * into those cache slots for later forwards.
     */
    private FusedKernels.Launch attend(FusedKernels k, GPT2Config c, KVStorage kv, int tiles, int bucket, Tensor queries,
                                       Tensor slots, Tensor layerKv, Tensor mask, Tensor limits) {
        int hd = c.headDim();
        FusedKernels.LaunchBuilder b = tiles == 1 ? k.launch("attention_" + hd, c.nHead(), bucket, ATTENTION_THREADS).tensor(queries)
                : k.launch("attention_rows_" + hd, c.nHead(), bucket / 16, ROW_ATTENTION_THREADS).tensor(queries).tensor(slots);
        return b.tensor(layerKv).tensor(mask).tensor(limits).tensor(attention).i32(c.nHead()).i32(kv.slots())
                .f32((float) (1.0 / Math.sqrt(hd))).build();
    }

    /**
     * A layer_norm launch, a block per row: {@link #x} normalized into {@link #normed}; with {@code partBias} (not null),
     * first x += fp16(partBias + the sum of the split-K partials in {@link #partials}).
     */
    private FusedKernels.Launch layerNorm(FusedKernels k, int rows, int d, Tensor partBias, Tensor weight, Tensor bias,
                                          float eps) {
        int threads = (d / 8 + 31) / 32 * 32;
        Tensor parts = partBias == null ? null : partials;
        int partCount = parts == null ? 0 : (int) parts.size(0);
        int partStride = parts == null ? 0 : Math.toIntExact(parts.size(1) * parts.size(2));
        return k.launch("layer_norm", rows, 1, threads).tensor(x).tensor(parts).i32(partCount).i32(partStride)
                .tensor(partBias).tensor(weight).tensor(bias).f32(eps).i32(d).tensor(normed).build();
    }

    /** Every kernel a fused forward of a model with this head size launches (for checks of the compiled source). */
    static List<String> kernelNames(int headDim) {
        List<String> names = new ArrayList<>(List.of("embed", "layer_norm", "attention_" + headDim, "attention_rows_" + headDim,
                "widen_logits"));
        for (int tiles = 1; tiles <= MAX_ROWS / 8; tiles <<= 1) {
            for (int featureTiles = 1; featureTiles <= 4; featureTiles <<= 1) {
                for (String linear : List.of("linear_qkv", "linear_residual", "linear_gelu", "linear_logits")) {
                    names.add(kernelName(linear, tiles, featureTiles));
                    if (tiles > 1 && featureTiles == 1 && hasClusterKernel(linear)) names.add(rowsKernelName(linear, tiles));
                }
            }
        }
        return names;
    }

    /** Token-row tiles of 8 for {@code bucket} rows: 1, 2, 4 or 8 (the compiled variants). */
    static int tilesFor(int bucket) {
        int t = 1;
        while (8 * t < bucket) t <<= 1;
        return t;
    }

    /** A linear's input: rows to read and, if the linear is to normalize them itself, the layer norm's parameters. */
    private record Normalized(Tensor rows, Tensor lnWeight, Tensor lnBias, float eps) {
    }

    private static Normalized plain(Tensor rows) {
        return new Normalized(rows, null, null, 0f);
    }

    /** Layer norm of {@link #x}: a layer_norm launch into {@link #normed} now, or left to the linear that reads it. */
    private Normalized normalize(FusedKernels k, boolean separately, int rows, int d, Tensor weight, Tensor bias, float eps) {
        if (!separately) return new Normalized(x, weight, bias, eps);
        steps.add(layerNorm(k, rows, d, null, weight, bias, eps));
        return plain(normed);
    }

    private FusedKernels.LaunchBuilder linear(FusedKernels k, String kernel, int tiles, int rows, int n, int kDim, Normalized in,
                                              Tensor weight, Tensor bias, Tensor out) {
        if (tiles > 1 && in.lnWeight() == null && k.clusters() && clusterLinears.uses(kernel, n, k.multiprocessors())) {
            int splits = rowSplits(tiles, n, kDim, k.multiprocessors());
            int shared = rowsSharedBytes(tiles, kDim, splits);
            if (shared <= k.maxSharedBytes()) {
                return k.launch(rowsKernelName(kernel, tiles), (n + ROWS_FEATURES - 1) / ROWS_FEATURES, splits, LINEAR_THREADS)
                        .clusterY(splits).sharedMemory(shared)
                        .tensor(in.rows()).tensor(weight).tensor(bias).i32(rows).i32(n).i32(kDim).tensor(out);
            }
        }
        int featureTiles = featureTiles(tiles, n, k.multiprocessors());
        // One row tile stages its input rows in shared memory.
        int shared = tiles == 1 ? rows * kDim * 2 : 0;
        return k.launch(kernelName(kernel, tiles, featureTiles), (n + 16 * featureTiles - 1) / (16 * featureTiles), 1, LINEAR_THREADS)
                .sharedMemory(shared).tensor(in.rows()).tensor(weight).tensor(bias).tensor(in.lnWeight()).tensor(in.lnBias()).f32(in.eps())
                .i32(rows).i32(n).i32(kDim).tensor(out);
    }

    /**
     * Features per block of a linear, in tiles of 16: the fewest (as many blocks as possible streaming the weights)
     * with which every block fits in one wave of {@link #LINEAR_BLOCKS_PER_SM} per multiprocessor; with none, the
     * most (fewer re-reads of the input rows): 2 for one token tile, 4 for more. Measured on an H200 for the GPT-2-L
     * matrices at 16-64 rows, this picked the fastest of 1, 2 and 4 for every one (qkv at 64 rows 9.8 us with 1 against
     * 13.3 us with the 2 an older rule chose; docs/log/2026-11-benchmarks-notebook.md).
     */
    static int featureTiles(int tokenTiles, int n, int multiprocessors) {
        int most = tokenTiles == 1 ? 2 : 4;
        for (int ft = 1; ft < most; ft <<= 1) if ((n + 16 * ft - 1) / (16 * ft) <= LINEAR_BLOCKS_PER_SM * multiprocessors) return ft;
        return most;
    }

    static String kernelName(String linear, int tokenTiles, int featureTiles) {
        return linear + "_" + tokenTiles + "x" + featureTiles;
    }

    /** Features per block of the cluster linears ({@code linear_rows_*}: 4 tiles of 16). */
    static final int ROWS_FEATURES = 64;
    /** Weight steps (32 of k) each warp of a cluster linear has in flight: its U, by token tiles (gpt2_fused.cu). */
    static int rowsStepsInFlight(int tokenTiles) {
        return tokenTiles == 8 ? 5 : 6;
    }

    private final FusedOptions.ClusterLinears clusterLinears;

    /** Whether a forward of {@code bucket} rows runs its layers' linears on cuBLAS: tree batches only (16+ rows). */
    static boolean usesCublasLinears(int bucket, int fromRows) {
        int tiles = tilesFor(bucket);
        return tiles > 1 && 8 * tiles >= fromRows;
    }

    /**
     * Blocks of a cluster linear's cluster, each taking a slice of K: the fewest with which every warp has its whole
     * share of weights in flight at once (one batch of {@link #rowsStepsInFlight} steps for each of the block's two
     * k groups), at most 8 (the portable cluster size), as many as keep all blocks in one wave of two per
     * multiprocessor, and at most one per 32-wide k step.
     */
    static int rowSplits(int tokenTiles, int n, int kDim, int multiprocessors) {
        int steps = kDim / 32, perBlock = 2 * rowsStepsInFlight(tokenTiles);
        int splits = Math.min(8, (steps + perBlock - 1) / perBlock);
        int tiles = (n + ROWS_FEATURES - 1) / ROWS_FEATURES;
        splits = Math.min(splits, Math.max(1, LINEAR_BLOCKS_PER_SM * multiprocessors / tiles));
        return Math.max(1, Math.min(splits, steps));
    }

    /**
     * Dynamic shared memory of a cluster linear (the layout gpt2_fused.cu's linear_rows describes): the block's slice
     * of the input rows, reused for the partial sums of its two k groups, then the inbox of the cluster's sums.
     */
    static int rowsSharedBytes(int tokenTiles, int kDim, int splits) {
        int rows = 8 * tokenTiles, most = (kDim / 32 + splits - 1) / splits;
        int stride = 32 * (most + most % 2) + 32;
        int front = (Math.max(rows * stride * 2, 2 * ROWS_FEATURES * (rows + 1) * 4) + 15) / 16 * 16;
        int share = ((ROWS_FEATURES * rows + splits - 1) / splits + 3) / 4 * 4;
        return front + splits * share * 4;
    }

    /** Whether gpt2_fused.cu has a cluster variant of {@code linear}: all but the LM head, whose 786 tiles of 64 fill the card. */
    static boolean hasClusterKernel(String linear) {
        return !linear.equals("linear_logits");
    }

    static String rowsKernelName(String linear, int tokenTiles) {
        return linear.replace("linear_", "linear_rows_") + "_" + tokenTiles;
    }

    /** The trailing (slots, kv, slotCount, headDim) arguments of a linear that does not write the cache. */
    private static FusedKernels.Launch withoutCache(FusedKernels.LaunchBuilder b) {
        return b.address(0).address(0).i32(0).i32(0).build();
    }

    /** The kernels read 16 bytes at a time from every matrix row and write outputs in place: contiguous, aligned. */
    private static void requireAligned(GPT2Weights w) {
        for (Tensor t : w.parameters()) {
            if (!t.is_contiguous() || t.data_ptr().address() % 16 != 0) {
                throw new IllegalStateException("fused kernels need contiguous, 16-byte aligned tensors; one of shape "
                        + java.util.Arrays.toString(t.sizes().vec().get()) + " is not (pass --kernels aten)");
            }
        }
    }

    private static Tensor keep(Tensor t) {
        t.retainReference();
        return t;
    }

    /** Launches the forward on the current stream (captured when that stream is capturing). */
    void run() {
        try (PointerScope scope = new PointerScope()) {
            CUstream_st stream = torch_cuda.getCurrentCUDAStream(device).stream();
            for (ForwardStep s : steps) s.run(stream);
        }
    }

    @Override
    public void close() {
        for (ForwardStep s : steps) s.close();
        steps.clear();
        for (Tensor t : new Tensor[]{x, normed, q, attention, hidden, qkv, partials, alignedLogits}) if (t != null) t.close();
    }
}

package ssd.decoder.forward;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import ssd.decoder.cache.KVCache;
import ssd.decoder.cache.KVStorage;
import ssd.decoder.cache.KVStoragePool;
import ssd.decoder.model.GPT2Model;

import java.util.List;
import java.util.Locale;

/**
 * Forwards on fixed-shape buckets ({@link ForwardMode#STATIC}) or their CUDA graphs ({@link ForwardMode#CUDA_GRAPH}):
 * a batch of n rows runs the {@link StaticForward} of the smallest power-of-two bucket that holds it, with padding
 * rows that write only their own padding slots. Batches above {@link StaticForward#MAX_BUCKET} rows take the eager
 * path on the same cache.
 *
 * <p>Caches borrow padded storage from a pool of this forward's, returned on close, so the fixed-shape tensors and
 * graphs built on a storage are reused by later caches rather than rebuilt per generation.
 */
public final class FixedShapeForward implements Forward {
    private final GPT2Model model;
    private final ForwardPlan plan;
    private final KVStoragePool pool;
    private final boolean graphs;
    /** Why the fused kernels cannot run this model, or null if they can. */
    private final String fusedUnsupported;
    private long runs;

    FixedShapeForward(GPT2Model model, ForwardPlan plan) {
        if (plan.mode() == ForwardMode.CUDA_GRAPH && !model.device().is_cuda()) {
            throw new IllegalArgumentException("CUDA graphs need a CUDA device; this model is on " + model.device().str().getString());
        }
        this.model = model;
        this.plan = plan;
        this.graphs = plan.mode() == ForwardMode.CUDA_GRAPH;
        this.pool = new KVStoragePool(model.config(), model.device(), model.scalarType(), StaticForward.MAX_BUCKET);
        this.fusedUnsupported = FusedForward.unsupportedReason(model.config(), model.scalarType(), model.device().is_cuda());
    }

    @Override
    public GPT2Model model() {
        return model;
    }

    @Override
    public ForwardPlan plan() {
        return plan;
    }

    @Override
    public KVCache newCache(int maxPending) {
        if (maxPending < 1) throw new IllegalArgumentException("maxPending must be at least 1, got " + maxPending);
        return new KVCache(model.config(), maxPending, StaticForward.MAX_BUCKET, pool.take(maxPending), pool::give);
    }

    /** Whether a bucket of this size runs the fused kernels (else ATen's ops). */
    private boolean fused(int bucket) {
        return plan.kernels() == ForwardKernels.FUSED && fusedUnsupported == null && bucket <= FusedForward.MAX_ROWS;
    }

    @Override
    public Logits run(KVCache cache, int[] tokens, int[] parents) {
        EagerForward.checkBatch(model, tokens, parents);
        int n = tokens.length;
        if (n > StaticForward.MAX_BUCKET) return EagerForward.runDynamic(model, cache, tokens, parents);
        int slot = cache.length() + cache.pendingCount();
        try (PointerScope scope = new PointerScope()) {
            StaticForward sf = forward(cache, tokens, parents);
            try {
                Tensor logits = sf.logitsCopy(n);
                logits.retainReference();
                return new Logits(logits, n, model.config().vocabSize(), ForwardStats.of(model, n, slot + n));
            } catch (RuntimeException e) {
                cache.dropLastPending(n);
                throw e;
            }
        }
    }

    @Override
    public ReadoutRows score(KVCache cache, int[] tokens, int[] parents, Readout readout) {
        EagerForward.checkBatch(model, tokens, parents);
        int n = tokens.length;
        if (n > StaticForward.MAX_BUCKET) {
            try (Logits logits = EagerForward.runDynamic(model, cache, tokens, parents)) {
                return ReadoutRows.of(logits, readout);
            }
        }
        int slot = cache.length() + cache.pendingCount();
        try (PointerScope scope = new PointerScope()) {
            StaticForward sf = forward(cache, tokens, parents);
            try {
                StaticReadout r = cache.storage().attachment(StaticReadout.key(sf, readout, fused(sf.bucket())), StaticReadout.class,
                        () -> new StaticReadout(sf, readout));
                float[] values = r.read(n, graphs);
                return new ReadoutRows(n, r.columns(), values, ForwardStats.of(model, n, slot + n));
            } catch (RuntimeException e) {
                cache.dropLastPending(n);
                throw e;
            }
        }
    }

    /** Registers the batch as pending nodes and runs its bucket's static forward (or graph); undone if that fails. */
    private StaticForward forward(KVCache cache, int[] tokens, int[] parents) {
        int n = tokens.length;
        int slot = cache.length() + cache.pendingCount();
        long[] positions = cache.appendPending(parents);
        try {
            StaticForward sf = staticForward(cache.storage(), StaticForward.bucketFor(n));
            sf.load(cache, tokens, positions, slot);
            compute(cache.storage(), sf);
            runs++;
            return sf;
        } catch (RuntimeException e) {
            cache.dropLastPending(n);
            throw e;
        }
    }

    private StaticForward staticForward(KVStorage kv, int bucket) {
        boolean fused = fused(bucket);
        return kv.attachment(StaticForward.key(bucket, fused), StaticForward.class,
                () -> new StaticForward(model, kv, bucket, fused ? plan.fused() : null));
    }

    /** Runs the loaded static forward: eagerly, or its graph (captured on first use; referenced only here). */
    private void compute(KVStorage kv, StaticForward sf) {
        if (!graphs) {
            sf.compute();
            return;
        }
        String key = "graph " + StaticForward.key(sf.bucket(), fused(sf.bucket()));
        kv.attachment(key, GraphReplay.class, () -> CudaGraphForward.capture(sf)).replay();
    }

    @Override
    public boolean fusedKernels(int rows) {
        return rows <= StaticForward.MAX_BUCKET && fused(StaticForward.bucketFor(rows));
    }

    @Override
    public int maxFixedRows() {
        return StaticForward.MAX_BUCKET;
    }

    @Override
    public String pathFor(int rows) {
        if (rows > StaticForward.MAX_BUCKET) return "eager ATen (over " + StaticForward.MAX_BUCKET + " rows)";
        int bucket = StaticForward.bucketFor(rows);
        String how = graphs ? "CUDA graph" : "static";
        if (!fused(bucket)) {
            String why = plan.kernels() == ForwardKernels.ATEN ? "" : fusedUnsupported != null ? " (" + fusedUnsupported + ")"
                    : " (fused kernels take at most " + FusedForward.MAX_ROWS + " rows)";
            return String.format(Locale.ROOT, "%s, bucket %d, ATen%s", how, bucket, why);
        }
        String linears = FusedForward.usesCublasLinears(bucket, plan.fused().cublasLinearsFromRows()) ? "cuBLAS linears"
                : FusedForward.tilesFor(bucket) == 1 ? "single-tile linears" : "fused tree linears";
        return String.format(Locale.ROOT, "%s, bucket %d, fused kernels, %s", how, bucket, linears);
    }

    /**
     * Every bucket up to {@code maxRows} on a cache of {@code maxPending}: a forward of that many rows with each
     * readout, captured as graphs in graph mode, then dropped. The storage (and what it now holds) goes back to the
     * pool for the next cache of that size.
     */
    @Override
    public void warmUp(int maxPending, int maxRows, List<Readout> readouts) {
        try (KVCache cache = newCache(maxPending)) {
            // Prompt chunks use every bucket whatever the speculative room: no clamp by maxPending.
            int top = Math.min(maxRows, StaticForward.MAX_BUCKET);
            for (int bucket = 1; ; bucket <<= 1) {
                int rows = Math.min(bucket, top);
                int[] tokens = new int[rows];
                for (Readout readout : readouts) {
                    score(cache, tokens, chain(rows), readout);
                    cache.discardPending();
                }
                if (readouts.isEmpty()) {
                    run(cache, tokens, chain(rows)).close();
                    cache.discardPending();
                }
                if (rows == top) break;
            }
        }
    }

    private static int[] chain(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i - 1;
        return p;
    }

    @Override
    public long fixedShapeRuns() {
        return runs;
    }

    @Override
    public void close() {
        pool.close();
    }
}

package ssd.decoder.forward;

import ssd.decoder.cache.KVCache;
import ssd.decoder.model.GPT2Model;

/**
 * How a model's forwards run, chosen once by a {@link ForwardPlan}: new tokens of a tree (with parent pointers) go
 * into a {@link KVCache} as pending nodes and come back as next-token {@link Logits}. Node i sits at position
 * {@code prefix + depth(i)} and attends to the committed prefix plus its pending ancestors and itself.
 *
 * <p>{@link EagerForward} is the reference (shapes follow the batch); {@link FixedShapeForward} runs the same maths on
 * fixed-shape buckets, eagerly or replayed as CUDA graphs, with ATen's ops or the fused kernels. A forward owns the
 * storage its caches use (fixed-shape forwards and graphs bake the addresses in), not the model.
 */
public interface Forward extends AutoCloseable {
    static Forward create(GPT2Model model, ForwardPlan plan) {
        return plan.mode() == ForwardMode.EAGER ? new EagerForward(model, plan) : new FixedShapeForward(model, plan);
    }

    GPT2Model model();

    ForwardPlan plan();

    /** A cache for one sequence with room for the full context plus {@code maxPending} speculative nodes. */
    KVCache newCache(int maxPending);

    /**
     * Runs {@code tokens} as new pending nodes of {@code cache} ({@code parents[i]} is a pending index or -1) and
     * returns their next-token logits. Their K/V stay pending until {@link KVCache#commit(int[])}.
     */
    Logits run(KVCache cache, int[] tokens, int[] parents);

    /**
     * {@link #run} followed by {@code readout} on the device, with only the readout crossing to the host: what a
     * decoding step needs (argmaxes, a sampling distribution's top tokens). Fixed-shape forwards replay the reduction
     * as a CUDA graph of its own and copy it back in one asynchronous transfer; this default reduces eagerly.
     */
    default ReadoutRows score(KVCache cache, int[] tokens, int[] parents, Readout readout) {
        try (Logits logits = run(cache, tokens, parents)) {
            return ReadoutRows.of(logits, readout);
        }
    }

    /** Most rows one forward takes on the fixed-shape path (larger batches run the eager path); unbounded for eager. */
    int maxFixedRows();

    /** Which path serves a batch of {@code rows} rows, in words (for bench summaries and records). */
    String pathFor(int rows);

    /** Whether a batch of {@code rows} rows runs the fused CUDA kernels. */
    boolean fusedKernels(int rows);

    /**
     * Builds every fixed-shape forward (and captures every graph) that batches of 1..{@code maxRows} rows use on
     * caches of {@code maxPending}, with each of {@code readouts}, so that no later timed forward pays for it. A
     * no-op for eager forwards.
     */
    void warmUp(int maxPending, int maxRows, java.util.List<Readout> readouts);

    /** Forwards so far that took the fixed-shape path (a check that it is taken). */
    long fixedShapeRuns();

    /** Releases the storage and graphs this forward made; the model stays open. */
    @Override
    void close();
}

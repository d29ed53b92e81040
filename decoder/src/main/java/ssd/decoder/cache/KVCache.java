package ssd.decoder.cache;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import ssd.decoder.model.ContextOverflowException;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.torch.HostToDevice;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A preallocated key/value cache for one sequence, with room for a tree of pending (speculative) nodes.
 *
 * <p>Slots {@code [0, length)} hold the committed prefix. Pending node {@code g} (the g-th node appended since the last
 * commit, by one or several forwards) sits in slot {@code length + g}; it knows its parent among the pending nodes
 * (or -1 for a root that follows the prefix) and hence its depth and ancestors. {@link #commit(int[])} keeps one
 * root-to-node path, moving its K/V to {@code [length, length + path.length)}, and drops the other pending nodes.
 * Nothing is reallocated after construction, and the bookkeeping is primitive arrays: a round of tree decoding
 * allocates nothing per node.
 *
 * <p>The cache knows nothing of how forwards run: a forward registers its tokens ({@link #appendPending}), reads
 * their mask and slots, and writes their K/V into {@link #storage()}.
 */
public final class KVCache implements AutoCloseable {
    private final GPT2Config config;
    private final KVStorage storage;
    private final Consumer<KVStorage> release;
    private final int capacity;
    private final int maxPending;
    private int length;
    private boolean closed;
    private final int[] parents;
    private final int[] depths;
    private int pending;
    /** The committed path's slots, uploaded for the one gather that moves their K/V (pinned on CUDA). */
    private final HostToDevice commitSlots;
    private final long[] slotScratch;

    /** An eager cache: storage of exactly context + maxPending slots, freed on close. */
    public static KVCache unpadded(GPT2Config config, int maxPending, Device device, torch.ScalarType dtype) {
        requirePending(maxPending);
        return new KVCache(config, maxPending, 0, KVStorage.unpadded(config, config.nPositions() + maxPending, device, dtype), KVStorage::close);
    }

    /**
     * A cache on {@code storage} (at least context + maxPending slots, and {@code paddingNeeded} padding slots after
     * them), handed to {@code release} on close.
     */
    public KVCache(GPT2Config config, int maxPending, int paddingNeeded, KVStorage storage, Consumer<KVStorage> release) {
        requirePending(maxPending);
        this.config = config;
        this.maxPending = maxPending;
        this.capacity = config.nPositions() + maxPending;
        if (storage.capacity() < capacity) throw new IllegalArgumentException("storage of " + storage.capacity() + " slots is smaller than " + capacity);
        if (storage.paddingSlots() < paddingNeeded) {
            throw new IllegalArgumentException("this cache needs " + paddingNeeded + " padding slots, storage has " + storage.paddingSlots());
        }
        this.storage = storage;
        this.release = release;
        // A prompt chunk registers many pending nodes at once: room for as many as the capacity allows.
        this.parents = new int[capacity];
        this.depths = new int[capacity];
        this.slotScratch = new long[Math.min(capacity, config.nPositions())];
        this.commitSlots = HostToDevice.longs(new long[]{slotScratch.length}, storage.allLayers().device());
    }

    private static void requirePending(int maxPending) {
        if (maxPending < 1) throw new IllegalArgumentException("maxPending must be at least 1, got " + maxPending);
    }

    /** Committed tokens. */
    public int length() {
        return length;
    }

    public int pendingCount() {
        return pending;
    }

    /** The speculative room asked for: pending nodes beyond the context that fit. */
    public int maxPending() {
        return maxPending;
    }

    /** Room left for committed tokens before the context (n_positions) is full. */
    public int remainingPositions() {
        return config.nPositions() - length;
    }

    public KVStorage storage() {
        return storage;
    }

    public Tensor keysAndValues(int layer) {
        return storage.keysAndValues(layer);
    }

    public Tensor keys(int layer) {
        return storage.keys(layer);
    }

    public Tensor values(int layer) {
        return storage.values(layer);
    }

    /**
     * Registers new pending nodes (parents index pending nodes, earlier ones in the same batch included, or -1) and
     * returns their absolute positions. Fails, changing nothing, if the context or the scratch room would overflow.
     */
    public long[] appendPending(int[] batchParents) {
        int first = pending;
        int n = batchParents.length;
        if (length + first + n > capacity) {
            throw new ContextOverflowException("KV cache scratch is full: " + length + " committed + " + first + " pending + "
                    + n + " new > capacity " + capacity);
        }
        long[] positions = new long[n];
        for (int i = 0; i < n; i++) {
            int p = batchParents[i];
            if (p < -1 || p >= first + i) {
                throw new IllegalArgumentException("node " + (first + i) + ": parent " + p + " must be -1 or an earlier pending node");
            }
            int depth = p < 0 ? 0 : depths[p] + 1;
            positions[i] = length + depth;
            if (positions[i] >= config.nPositions()) {
                throw new ContextOverflowException("position " + positions[i] + " is beyond the model's context of "
                        + config.nPositions() + " tokens");
            }
            // Written as we go (later nodes of the batch read their parents' depths); rolled back below on failure.
            parents[first + i] = p;
            depths[first + i] = depth;
        }
        pending += n;
        return positions;
    }

    /** Removes the last n pending nodes (used when a forward fails after registering them). */
    public void dropLastPending(int n) {
        pending -= Math.min(n, pending);
    }

    /**
     * The attention mask for the last {@code n} pending nodes: [n, length + pendingCount], true where a node may
     * attend (the whole prefix, its pending ancestors and itself). Null when every row may attend to every column.
     */
    public byte[] maskForLast(int n) {
        int cols = length + pending, first = pending - n;
        byte[] mask = new byte[n * cols];
        boolean full = true;
        for (int i = 0; i < n; i++) {
            int row = i * cols;
            Arrays.fill(mask, row, row + length, (byte) 1);
            for (int a = first + i; a >= 0; a = parents[a]) mask[row + length + a] = 1;
            // A node's pending ancestors, itself included, number depth + 1: it sees every pending column only if
            // that is all of them.
            if (depths[first + i] + 1 < pending) full = false;
        }
        return full ? null : mask;
    }

    /**
     * Fills a fixed-shape forward's mask, {@code rows} x {@link KVStorage#slots()} bytes, for the last {@code n} pending
     * nodes: row i < n may attend to the prefix, its pending ancestors and itself (as {@link #maskForLast(int)});
     * padding row i >= n only to its own padding slot, so no row is fully masked.
     */
    public void fillStaticMask(byte[] mask, int rows, int n) {
        int cols = storage.slots(), first = pending - n;
        Arrays.fill(mask, 0, rows * cols, (byte) 0);
        for (int i = 0; i < n; i++) {
            int row = i * cols;
            Arrays.fill(mask, row, row + length, (byte) 1);
            for (int a = first + i; a >= 0; a = parents[a]) mask[row + length + a] = 1;
        }
        for (int i = n; i < rows; i++) mask[i * cols + storage.paddingSlot(i)] = 1;
    }

    /** Pending nodes 0..n-1 as a path: what to commit after reading a chain (e.g. a prompt) in one forward. */
    public static int[] firstPending(int n) {
        int[] path = new int[n];
        for (int i = 0; i < n; i++) path[i] = i;
        return path;
    }

    /**
     * Keeps the pending root-to-node path (pending indices, root first) and drops every other pending node. The K/V
     * move is queued on the device; the host does not wait for it.
     */
    public void commit(int[] path) {
        for (int i = 0; i < path.length; i++) {
            int node = path[i];
            if (node < 0 || node >= pending) throw new IllegalArgumentException("path node " + node + " is not pending");
            int expectedParent = i == 0 ? -1 : path[i - 1];
            if (parents[node] != expectedParent) {
                throw new IllegalArgumentException("path is not a root-to-node chain: node " + node + " has parent "
                        + parents[node] + ", expected " + expectedParent);
            }
        }
        boolean inPlace = true;
        for (int i = 0; i < path.length; i++) inPlace &= path[i] == i;
        if (!inPlace) {
            for (int i = 0; i < path.length; i++) slotScratch[i] = length + path[i];
            commitSlots.put(slotScratch);
            commitSlots.upload();
            try (PointerScope scope = new PointerScope()) {
                // One gather for every layer's keys and values: per layer it would be 2 ops each (eager, ~25 us
                // apiece on a GPU), 72 for GPT-2-L per round.
                Tensor all = storage.allLayers();
                Tensor index = commitSlots.device().narrow(0, 0, path.length);
                Tensor picked = all.index_select(4, index); // copies first, so overlapping slots are safe
                all.narrow(4, length, path.length).copy_(picked);
            }
        }
        length += path.length;
        discardPending();
    }

    public void discardPending() {
        pending = 0;
    }

    public long byteCount() {
        return storage.byteCount();
    }

    /** Frees the K/V, or for a pooled storage returns them (with what forwards attached) to their pool. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        commitSlots.close();
        release.accept(storage);
    }
}

package ssd.decoder.model;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * A preallocated key/value cache for one sequence, with room for a tree of pending (speculative) nodes.
 *
 * <p>Slots {@code [0, length)} hold the committed prefix. Pending node {@code g} (the g-th node appended since the last
 * commit, by one or several forwards) sits in slot {@code length + g}; it knows its parent among the pending nodes
 * (or -1 for a root that follows the prefix) and hence its depth and ancestors. {@link #commit(int[])} keeps one
 * root-to-node path, moving its K/V to {@code [length, length + path.length)}, and drops the other pending nodes.
 * Nothing is reallocated after construction.
 */
public final class KVCache implements AutoCloseable {
    private final GPT2Config config;
    private final ForwardMode mode;
    private final KVStorage storage;
    private final Consumer<KVStorage> release;
    private final int capacity;
    private int length;
    private int staticForwards;
    private boolean closed;
    private final List<Integer> parents = new ArrayList<>();
    private final List<Integer> depths = new ArrayList<>();
    private final List<BitSet> ancestors = new ArrayList<>();

    /** An eager cache: storage of exactly context + maxPending slots, freed on close. */
    KVCache(GPT2Config config, int maxPending, Device device, torch.ScalarType dtype) {
        this(config, maxPending, ForwardMode.EAGER, checkedStorage(config, maxPending, device, dtype), KVStorage::close);
    }

    /** A cache on {@code storage} (at least context + maxPending slots), handed to {@code release} on close. */
    KVCache(GPT2Config config, int maxPending, ForwardMode mode, KVStorage storage, Consumer<KVStorage> release) {
        if (maxPending < 1) throw new IllegalArgumentException("maxPending must be at least 1, got " + maxPending);
        this.config = config;
        this.mode = mode;
        this.capacity = config.nPositions() + maxPending;
        if (storage.capacity() < capacity) throw new IllegalArgumentException("storage of " + storage.capacity() + " slots is smaller than " + capacity);
        if (mode != ForwardMode.EAGER && storage.paddingSlots() < StaticForward.MAX_BUCKET) {
            throw new IllegalArgumentException(mode + " caches need " + StaticForward.MAX_BUCKET + " padding slots, storage has " + storage.paddingSlots());
        }
        this.storage = storage;
        this.release = release;
    }

    private static KVStorage checkedStorage(GPT2Config config, int maxPending, Device device, torch.ScalarType dtype) {
        if (maxPending < 1) throw new IllegalArgumentException("maxPending must be at least 1, got " + maxPending);
        return KVStorage.unpadded(config, config.nPositions() + maxPending, device, dtype);
    }

    static Tensor zeros(long[] shape, Device device, torch.ScalarType dtype) {
        try (Tensor z = torch.zeros(shape)) {
            return z.to(device, dtype).contiguous();
        }
    }

    /** Committed tokens. */
    public int length() {
        return length;
    }

    public int pendingCount() {
        return parents.size();
    }

    public int pendingParent(int node) {
        return parents.get(node);
    }

    public int pendingDepth(int node) {
        return depths.get(node);
    }

    /** Room left for committed tokens before the context (n_positions) is full. */
    public int remainingPositions() {
        return config.nPositions() - length;
    }

    /** How forwards on this cache run. */
    public ForwardMode mode() {
        return mode;
    }

    /** Forwards that took the static (or CUDA-graph) path on this cache; the rest ran the dynamic path. */
    public int staticForwardCount() {
        return staticForwards;
    }

    void countStaticForward() {
        staticForwards++;
    }

    KVStorage storage() {
        return storage;
    }

    Tensor keysAndValues(int layer) {
        return storage.keysAndValues(layer);
    }

    Tensor keys(int layer) {
        return storage.keys(layer);
    }

    Tensor values(int layer) {
        return storage.values(layer);
    }

    /**
     * Registers new pending nodes (parents index pending nodes, earlier ones in the same batch included, or -1) and
     * returns their absolute positions. Fails, changing nothing, if the context or the scratch room would overflow.
     */
    long[] appendPending(int[] batchParents) {
        int first = parents.size();
        int n = batchParents.length;
        if (length + first + n > capacity) {
            throw new ContextOverflowException("KV cache scratch is full: " + length + " committed + " + first + " pending + "
                    + n + " new > capacity " + capacity);
        }
        long[] positions = new long[n];
        int[] newDepths = new int[n];
        for (int i = 0; i < n; i++) {
            int p = batchParents[i];
            if (p < -1 || p >= first + i) {
                throw new IllegalArgumentException("node " + (first + i) + ": parent " + p + " must be -1 or an earlier pending node");
            }
            newDepths[i] = p < 0 ? 0 : (p >= first ? newDepths[p - first] : depths.get(p)) + 1;
            positions[i] = length + newDepths[i];
            if (positions[i] >= config.nPositions()) {
                throw new ContextOverflowException("position " + positions[i] + " is beyond the model's context of "
                        + config.nPositions() + " tokens");
            }
        }
        for (int i = 0; i < n; i++) {
            int p = batchParents[i];
            BitSet anc = p < 0 ? new BitSet() : (BitSet) ancestors.get(p).clone();
            anc.set(first + i);
            parents.add(p);
            depths.add(newDepths[i]);
            ancestors.add(anc);
        }
        return positions;
    }

    /** Removes the last n pending nodes (used when a forward fails after registering them). */
    void dropLastPending(int n) {
        for (int i = 0; i < n; i++) {
            int last = parents.size() - 1;
            parents.remove(last);
            depths.remove(last);
            ancestors.remove(last);
        }
    }

    /**
     * The attention mask for the last {@code n} pending nodes: [n, length + pendingCount], true where a node may
     * attend (the whole prefix, its pending ancestors and itself). Null when every row may attend to every column.
     */
    byte[] maskForLast(int n) {
        int total = parents.size(), cols = length + total, first = total - n;
        byte[] mask = new byte[n * cols];
        boolean full = true;
        for (int i = 0; i < n; i++) {
            int row = i * cols;
            java.util.Arrays.fill(mask, row, row + length, (byte) 1);
            BitSet anc = ancestors.get(first + i);
            for (int j = 0; j < total; j++) {
                if (anc.get(j)) mask[row + length + j] = 1;
                else full = false;
            }
        }
        return full ? null : mask;
    }

    /**
     * Fills the static forward's mask, {@code rows} x {@link KVStorage#slots()} bytes, for the last {@code n} pending
     * nodes: row i < n may attend to the prefix, its pending ancestors and itself (as {@link #maskForLast(int)});
     * padding row i >= n only to its own padding slot, so no row is fully masked.
     */
    void fillStaticMask(byte[] mask, int rows, int n) {
        int cols = storage.slots(), total = parents.size(), first = total - n;
        java.util.Arrays.fill(mask, 0, rows * cols, (byte) 0);
        for (int i = 0; i < n; i++) {
            int row = i * cols;
            java.util.Arrays.fill(mask, row, row + length, (byte) 1);
            BitSet anc = ancestors.get(first + i);
            for (int j = anc.nextSetBit(0); j >= 0; j = anc.nextSetBit(j + 1)) mask[row + length + j] = 1;
        }
        for (int i = n; i < rows; i++) mask[i * cols + storage.paddingSlot(i)] = 1;
    }

    /** Pending nodes 0..n-1 as a path: what to commit after reading a chain (e.g. a prompt) in one forward. */
    public static int[] firstPending(int n) {
        int[] path = new int[n];
        for (int i = 0; i < n; i++) path[i] = i;
        return path;
    }

    /** Keeps the pending root-to-node path (pending indices, root first) and drops every other pending node. */
    public void commit(int[] path) {
        for (int i = 0; i < path.length; i++) {
            int node = path[i];
            if (node < 0 || node >= parents.size()) throw new IllegalArgumentException("path node " + node + " is not pending");
            int expectedParent = i == 0 ? -1 : path[i - 1];
            if (parents.get(node) != expectedParent) {
                throw new IllegalArgumentException("path is not a root-to-node chain: node " + node + " has parent "
                        + parents.get(node) + ", expected " + expectedParent);
            }
        }
        boolean inPlace = true;
        for (int i = 0; i < path.length; i++) inPlace &= path[i] == i;
        if (!inPlace) {
            long[] slots = new long[path.length];
            for (int i = 0; i < path.length; i++) slots[i] = length + path[i];
            try (org.bytedeco.javacpp.PointerScope scope = new org.bytedeco.javacpp.PointerScope()) {
                // One gather for every layer's keys and values: per layer it would be 2 ops each (eager, ~25 us
                // apiece on a GPU), 72 for GPT-2-L per round.
                Tensor all = storage.allLayers();
                Tensor index = Torch.longs(slots, all.device());
                Tensor picked = all.index_select(4, index); // copies first, so overlapping slots are safe
                all.narrow(4, length, path.length).copy_(picked);
            }
        }
        length += path.length;
        discardPending();
    }

    public void discardPending() {
        parents.clear();
        depths.clear();
        ancestors.clear();
    }

    /** Forgets everything: an empty prefix, no pending nodes. Memory is kept. */
    public void reset() {
        length = 0;
        discardPending();
    }

    /** Drops committed tokens beyond {@code newLength} (e.g. to rewind a draft cache). */
    public void truncate(int newLength) {
        if (newLength < 0 || newLength > length) throw new IllegalArgumentException("cannot truncate cache of length " + length + " to " + newLength);
        discardPending();
        length = newLength;
    }

    public long byteCount() {
        return storage.byteCount();
    }

    /** Frees the K/V, or for a static / CUDA-graph cache returns them (with their graphs) to the model's pool. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        release.accept(storage);
    }
}

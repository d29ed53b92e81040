package ssd.decoder.model;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The key/value tensor behind a {@link KVCache}, [layers, 2 (keys, values), 1, heads, slots, headDim], and the fixed-shape forwards
 * bound to them. A static forward (and a CUDA graph above all) bakes the tensors' addresses in, so it belongs to the
 * storage, not to the model; pooling storages ({@link KVStoragePool}) lets later caches reuse captured graphs.
 *
 * <p>Slots {@code [0, capacity)} hold committed and pending tokens. A padded storage reserves {@code paddingSlots}
 * more after them, where the padding rows of a static forward write their K/V, so padding never overwrites a real
 * token's K/V.
 */
final class KVStorage implements AutoCloseable {
    /** Physical slot counts are rounded to this, so attention masks over them are aligned for fused kernels. */
    private static final int SLOT_ALIGNMENT = 64;

    /** [layers, 2, 1, heads, slots, headDim]: every layer's keys then values, so one gather commits all of them. */
    private final Tensor allLayers;
    /** Per layer [2, 1, heads, slots, headDim], a view: one index_copy_ writes a layer's keys and values. */
    private final Tensor[] keysAndValues;
    private final Tensor[] keys;
    private final Tensor[] values;
    private final int capacity;
    private final int paddingSlots;
    private final int slots;
    private final Map<Integer, StaticForward> statics = new HashMap<>();
    private final Map<Integer, GraphReplay> graphs = new HashMap<>();
    private boolean closed;

    private KVStorage(GPT2Config config, int capacity, int paddingSlots, int slots, Device device, torch.ScalarType dtype) {
        this.capacity = capacity;
        this.paddingSlots = paddingSlots;
        this.slots = slots;
        keysAndValues = new Tensor[config.nLayer()];
        keys = new Tensor[config.nLayer()];
        values = new Tensor[config.nLayer()];
        long[] shape = {config.nLayer(), 2, 1, config.nHead(), slots, config.headDim()};
        // Retained in a scope of their own: a storage outlives any scope its cache was made in (it may be pooled).
        try (PointerScope scope = new PointerScope()) {
            allLayers = KVCache.zeros(shape, device, dtype);
            allLayers.retainReference();
            for (int l = 0; l < config.nLayer(); l++) {
                keysAndValues[l] = allLayers.select(0, l);
                keysAndValues[l].retainReference();
                keys[l] = keysAndValues[l].select(0, 0);
                keys[l].retainReference();
                values[l] = keysAndValues[l].select(0, 1);
                values[l].retainReference();
            }
        }
    }

    /** Exactly {@code capacity} slots, no padding room: the dynamic (eager) path's storage. */
    static KVStorage unpadded(GPT2Config config, int capacity, Device device, torch.ScalarType dtype) {
        return new KVStorage(config, capacity, 0, capacity, device, dtype);
    }

    /** {@code capacity} slots plus {@code paddingSlots} reserved for padding rows of static forwards. */
    static KVStorage padded(GPT2Config config, int capacity, int paddingSlots, Device device, torch.ScalarType dtype) {
        int slots = (capacity + paddingSlots + SLOT_ALIGNMENT - 1) / SLOT_ALIGNMENT * SLOT_ALIGNMENT;
        return new KVStorage(config, capacity, paddingSlots, slots, device, dtype);
    }

    /** Keys and values of every layer, [layers, 2, 1, heads, slots, headDim]; slots are dimension 4. */
    Tensor allLayers() {
        return allLayers;
    }

    /** Keys and values of one layer, [2, 1, heads, slots, headDim], a view of {@link #allLayers}. */
    Tensor keysAndValues(int layer) {
        return keysAndValues[layer];
    }

    /** [1, heads, slots, headDim], a view of {@link #keysAndValues}. */
    Tensor keys(int layer) {
        return keys[layer];
    }

    /** [1, heads, slots, headDim], a view of {@link #keysAndValues}. */
    Tensor values(int layer) {
        return values[layer];
    }

    /** Slots usable by committed and pending tokens. */
    int capacity() {
        return capacity;
    }

    /** Physical slots of each K/V tensor (the attention mask's width in a static forward). */
    int slots() {
        return slots;
    }

    int paddingSlots() {
        return paddingSlots;
    }

    /** The slot padding row {@code row} of a static forward writes to (distinct per row, after every real slot). */
    int paddingSlot(int row) {
        if (row >= paddingSlots) throw new IllegalStateException("padding row " + row + " exceeds the " + paddingSlots + " reserved slots");
        return capacity + row;
    }

    /** The static forward stored under {@code key} ({@link StaticForward#key}), made on first use. */
    StaticForward staticForward(int key, IntFunction<StaticForward> create) {
        ensureOpen();
        return statics.computeIfAbsent(key, create::apply);
    }

    GraphReplay graph(int key, Supplier<GraphReplay> capture) {
        ensureOpen();
        GraphReplay g = graphs.get(key);
        if (g == null) {
            g = capture.get();
            graphs.put(key, g);
        }
        return g;
    }

    int capturedGraphs() {
        return graphs.size();
    }

    long byteCount() {
        return allLayers.nbytes();
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("KV storage is closed");
    }

    /** Graphs first (they reference the static tensors and K/V), then the static tensors, then K/V. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        List<RuntimeException> failures = new ArrayList<>();
        for (GraphReplay g : graphs.values()) {
            try {
                g.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        graphs.clear();
        for (StaticForward s : statics.values()) s.close();
        statics.clear();
        for (int l = 0; l < keys.length; l++) {
            keys[l].close();
            values[l].close();
            keysAndValues[l].close();
        }
        allLayers.close();
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            for (int i = 1; i < failures.size(); i++) first.addSuppressed(failures.get(i));
            throw first;
        }
    }
}

package ssd.decoder.cache;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.torch.Torch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
public final class KVStorage implements AutoCloseable {
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
    /** What forwards built on these tensors (fixed-shape inputs, captured graphs), closed with them, newest first. */
    private final Map<String, AutoCloseable> attachments = new LinkedHashMap<>();
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
            allLayers = Torch.zeros(shape, device, dtype);
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
    public static KVStorage unpadded(GPT2Config config, int capacity, Device device, torch.ScalarType dtype) {
        return new KVStorage(config, capacity, 0, capacity, device, dtype);
    }

    /** {@code capacity} slots plus {@code paddingSlots} reserved for padding rows of static forwards. */
    public static KVStorage padded(GPT2Config config, int capacity, int paddingSlots, Device device, torch.ScalarType dtype) {
        int slots = (capacity + paddingSlots + SLOT_ALIGNMENT - 1) / SLOT_ALIGNMENT * SLOT_ALIGNMENT;
        return new KVStorage(config, capacity, paddingSlots, slots, device, dtype);
    }

    /** Keys and values of every layer, [layers, 2, 1, heads, slots, headDim]; slots are dimension 4. */
    public Tensor allLayers() {
        return allLayers;
    }

    /** Keys and values of one layer, [2, 1, heads, slots, headDim], a view of {@link #allLayers}. */
    public Tensor keysAndValues(int layer) {
        return keysAndValues[layer];
    }

    /** [1, heads, slots, headDim], a view of {@link #keysAndValues}. */
    public Tensor keys(int layer) {
        return keys[layer];
    }

    /** [1, heads, slots, headDim], a view of {@link #keysAndValues}. */
    public Tensor values(int layer) {
        return values[layer];
    }

    /** Slots usable by committed and pending tokens. */
    public int capacity() {
        return capacity;
    }

    /** Physical slots of each K/V tensor (the attention mask's width in a static forward). */
    public int slots() {
        return slots;
    }

    public int paddingSlots() {
        return paddingSlots;
    }

    /** The slot padding row {@code row} of a static forward writes to (distinct per row, after every real slot). */
    public int paddingSlot(int row) {
        if (row >= paddingSlots) throw new IllegalStateException("padding row " + row + " exceeds the " + paddingSlots + " reserved slots");
        return capacity + row;
    }

    /**
     * What a forward keeps with these tensors under {@code key}, made by {@code create} on first use: a fixed-shape
     * forward or a CUDA graph bakes their addresses in, so it lives and dies with the storage, not with a cache.
     */
    public <T extends AutoCloseable> T attachment(String key, Class<T> type, Supplier<T> create) {
        ensureOpen();
        AutoCloseable a = attachments.get(key);
        if (a == null) {
            a = create.get();
            attachments.put(key, a);
        }
        return type.cast(a);
    }

    /** Attachments made so far (for tests and checks: e.g. how many graphs were captured). */
    public int attachmentCount() {
        return attachments.size();
    }

    public long byteCount() {
        return allLayers.nbytes();
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("KV storage is closed");
    }

    /** Attachments newest first (a graph references the fixed-shape tensors made before it), then K/V. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        List<Exception> failures = new ArrayList<>();
        List<AutoCloseable> newestFirst = new ArrayList<>(attachments.values());
        java.util.Collections.reverse(newestFirst);
        for (AutoCloseable a : newestFirst) {
            try {
                a.close();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        attachments.clear();
        for (int l = 0; l < keys.length; l++) {
            keys[l].close();
            values[l].close();
            keysAndValues[l].close();
        }
        allLayers.close();
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0) instanceof RuntimeException r ? r : new IllegalStateException(failures.get(0));
            for (int i = 1; i < failures.size(); i++) first.addSuppressed(failures.get(i));
            throw first;
        }
    }
}

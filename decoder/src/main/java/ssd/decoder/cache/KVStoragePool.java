package ssd.decoder.cache;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import ssd.decoder.model.GPT2Config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Padded {@link KVStorage}s of one model, kept after their caches close so the next cache (the next generation)
 * finds its static forwards and CUDA graphs already built instead of capturing them again.
 *
 * <p>Pending room is rounded up to a power of two, so caches whose room varies per prompt (a draft cache sized by
 * the prompt) share a few storage sizes; at most {@link #MAX_IDLE} idle storages are kept, the smallest dropped first.
 */
public final class KVStoragePool implements AutoCloseable {
    private static final int MAX_IDLE = 4;

    private final GPT2Config config;
    private final Device device;
    private final torch.ScalarType dtype;
    private final int paddingSlots;
    private final List<KVStorage> idle = new ArrayList<>();
    private boolean closed;

    public KVStoragePool(GPT2Config config, Device device, torch.ScalarType dtype, int paddingSlots) {
        this.config = config;
        this.device = device;
        this.dtype = dtype;
        this.paddingSlots = paddingSlots;
    }

    /** A storage with room for the context plus at least {@code maxPending} pending nodes. */
    public synchronized KVStorage take(int maxPending) {
        if (closed) throw new IllegalStateException("the model is closed");
        int needed = config.nPositions() + maxPending;
        KVStorage best = null;
        for (KVStorage s : idle) if (s.capacity() >= needed && (best == null || s.capacity() < best.capacity())) best = s;
        if (best != null) {
            idle.remove(best);
            return best;
        }
        int room = Integer.highestOneBit(maxPending);
        if (room < maxPending) room <<= 1;
        return KVStorage.padded(config, config.nPositions() + room, paddingSlots, device, dtype);
    }

    public synchronized void give(KVStorage storage) {
        if (closed) {
            storage.close();
            return;
        }
        idle.add(storage);
        while (idle.size() > MAX_IDLE) {
            KVStorage smallest = idle.stream().min(Comparator.comparingInt(KVStorage::capacity)).orElseThrow();
            idle.remove(smallest);
            smallest.close();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (KVStorage s : idle) s.close();
        idle.clear();
    }
}

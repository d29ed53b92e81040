package ssd.decoder.torch;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * A pinned host buffer that a small float32 device tensor is copied into: {@link #download} starts an asynchronous
 * copy on the current stream and {@link #read} waits for that copy alone (an event), so the host pays one wait per
 * read-back instead of a pageable copy's stream synchronisation plus a fresh allocation. On the CPU the source is
 * read directly.
 */
public final class DeviceToHost implements AutoCloseable {
    private final Tensor host;
    private final FloatPointer floats;
    private final StreamFence fence;
    private Tensor cpuSource;

    /** A buffer for float32 tensors of {@code shape}; pinned (for a CUDA source) when {@code pinned}. */
    public DeviceToHost(long[] shape, boolean pinned) {
        try (PointerScope scope = new PointerScope(); TensorOptions opts = new TensorOptions(torch.ScalarType.Float)) {
            Tensor h = torch.zeros(shape, opts);
            host = pinned ? h.pin_memory() : h;
            host.retainReference();
            floats = new FloatPointer(host.data_ptr_float()).capacity(host.numel());
            floats.retainReference();
        }
        fence = pinned ? StreamFence.create() : null;
    }

    /** Starts copying {@code source} (float32, this buffer's shape) to the host; on the CPU only remembers it. */
    public void download(Tensor source) {
        if (fence == null) {
            cpuSource = source;
            return;
        }
        host.copy_(source, true);
        fence.record();
    }

    /** The first {@code count} floats of the last download, once it has landed. */
    public float[] read(int count) {
        float[] out = new float[count];
        if (fence == null) {
            try (PointerScope scope = new PointerScope()) {
                host.copy_(cpuSource);
            }
            cpuSource = null;
        } else {
            fence.await();
        }
        floats.get(out, 0, count);
        return out;
    }

    @Override
    public void close() {
        if (fence != null) fence.close();
        floats.close();
        host.close();
    }
}

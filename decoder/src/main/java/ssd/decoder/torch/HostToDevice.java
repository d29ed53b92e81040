package ssd.decoder.torch;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * A host buffer and its device twin, for inputs written by the host every step and read by the device. On CUDA the
 * host side is pinned and {@link #upload()} is an asynchronous copy ordered on the current stream, so the host never
 * waits for the device to drain (a copy from pageable memory synchronises the stream first); writing the host side
 * again waits only until the previous upload has read it. On the CPU both sides are one tensor.
 */
public final class HostToDevice implements AutoCloseable {
    private final Tensor host;
    private final Tensor device;
    private final StreamFence fence;
    private final LongPointer longs;
    private final BytePointer bytes;

    private HostToDevice(long[] shape, torch.ScalarType type, Device target) {
        try (PointerScope scope = new PointerScope(); TensorOptions opts = new TensorOptions(type)) {
            Tensor h = torch.zeros(shape, opts);
            if (target.is_cuda()) {
                host = h.pin_memory();
                device = Torch.zeros(shape, target, type);
                fence = StreamFence.create();
            } else {
                host = h;
                device = h;
                fence = null;
            }
            host.retainReference();
            if (device != host) device.retainReference();
            longs = type == torch.ScalarType.Long ? new LongPointer(host.data_ptr_long()).capacity(host.numel()) : null;
            bytes = type == torch.ScalarType.Long ? null : new BytePointer(host.data_ptr()).capacity(host.nbytes());
            if (longs != null) longs.retainReference();
            if (bytes != null) bytes.retainReference();
        }
    }

    /** Longs of {@code shape} (zero). */
    public static HostToDevice longs(long[] shape, Device target) {
        return new HostToDevice(shape, torch.ScalarType.Long, target);
    }

    /** Bytes (bool, or uint8 when not a mask) of {@code shape} (zero). */
    public static HostToDevice bools(long[] shape, Device target) {
        return new HostToDevice(shape, torch.ScalarType.Bool, target);
    }

    /** Writes {@code values} into the host side (after the previous upload has read it). */
    public void put(long[] values) {
        awaitPreviousUpload();
        longs.put(values, 0, values.length);
    }

    /** Writes {@code values} into the host side (after the previous upload has read it). */
    public void put(byte[] values) {
        awaitPreviousUpload();
        bytes.put(values, 0, values.length);
    }

    /** Starts the copy to the device on the current stream; later device work on that stream sees it. */
    public void upload() {
        if (fence == null) return;
        device.copy_(host, true);
        fence.record();
    }

    private void awaitPreviousUpload() {
        if (fence != null) fence.await();
    }

    /** The device side (the host side itself on the CPU). */
    public Tensor device() {
        return device;
    }

    @Override
    public void close() {
        if (fence != null) fence.close();
        if (longs != null) longs.close();
        if (bytes != null) bytes.close();
        if (device != host) device.close();
        host.close();
    }
}

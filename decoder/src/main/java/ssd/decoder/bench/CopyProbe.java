package ssd.decoder.bench;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A large array copy (STREAM's "copy"), timed between forwards so that the bandwidth a forward is compared with is
 * the one the machine had at that moment. On shared machines it is not constant: on the 2-core CI-class VM the same
 * copy ran at ~35 or ~53 GB/s depending on the minute, so a single probe before the forwards could make the same
 * forward look 45% or 70% efficient.
 */
public final class CopyProbe implements AutoCloseable {
    private final Tensor source;
    private final Tensor target;
    private final long bytes;

    public CopyProbe(Device device, long bytes) {
        long n = Math.max(1, bytes / 4);
        this.bytes = n * 4;
        try (PointerScope scope = new PointerScope()) {
            // Written in full (not calloc'd zero pages), and allocated apart so neither aliases the other.
            source = torch.ones(n).to(device, torch.ScalarType.Float).add(new org.bytedeco.pytorch.Scalar(1.0));
            target = torch.ones(n).to(device, torch.ScalarType.Float).add(new org.bytedeco.pytorch.Scalar(2.0));
            source.retainReference();
            target.retainReference();
        }
        measure(); // first touch and page faults stay out of every later reading
    }

    /** Bytes read plus bytes written per second by one copy. */
    public double measure() {
        long t0 = System.nanoTime();
        target.copy_(source);
        try (Tensor last = target.select(0, target.size(0) - 1)) {
            last.item_float(); // waits for asynchronous devices
        }
        return 2.0 * bytes / ((System.nanoTime() - t0) / 1e9);
    }

    @Override
    public void close() {
        source.close();
        target.close();
    }
}

package ssd.decoder.torch;

import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.global.torch_cuda;

/**
 * A CUDA event recorded on the current stream after an asynchronous copy: waiting on it tells the host that the copy
 * is done (a pinned upload source may be written again; a pinned download target may be read). The only class of
 * this package that touches cudart, so CPU runs never load the CUDA classes.
 */
final class StreamFence implements AutoCloseable {
    private final CUevent_st event;
    private boolean recorded;

    private StreamFence(CUevent_st event) {
        this.event = event;
    }

    static StreamFence create() {
        CUevent_st e = new CUevent_st();
        CudaChecks.check("cudaEventCreateWithFlags", cudart.cudaEventCreateWithFlags(e, cudart.cudaEventDisableTiming));
        e.retainReference();
        return new StreamFence(e);
    }

    void record() {
        try (PointerScope scope = new PointerScope()) {
            CudaChecks.check("cudaEventRecord", cudart.cudaEventRecord(event, torch_cuda.getCurrentCUDAStream((byte) -1).stream()));
        }
        recorded = true;
    }

    void await() {
        if (!recorded) return;
        CudaChecks.check("cudaEventSynchronize", cudart.cudaEventSynchronize(event));
        recorded = false;
    }

    @Override
    public void close() {
        cudart.cudaEventDestroy(event);
        event.close();
    }
}

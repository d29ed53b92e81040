package ssd.decoder.torch;

import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * Device memory in use on the current CUDA device (total minus free, as the driver reports it), for checking that a
 * decode loop's GPU memory stays flat. PyTorch's caching allocator keeps freed blocks reserved, so this moves only
 * when the allocator has to grow: a leak shows as steady growth, warm-up as a step. Touches cudart, so call it only
 * for CUDA models (CPU runs never load the CUDA classes).
 */
public final class GpuMemory {
    private GpuMemory() {
    }

    public static long usedBytes() {
        try (SizeTPointer free = new SizeTPointer(1); SizeTPointer total = new SizeTPointer(1)) {
            int rc = cudart.cudaMemGetInfo(free, total);
            CudaChecks.check("cudaMemGetInfo", rc);
            return total.get() - free.get();
        }
    }
}

package ssd.decoder.torch;

import org.bytedeco.cuda.global.cudart;

/** The one place a CUDA runtime return code becomes an exception naming the call. */
public final class CudaChecks {
    private CudaChecks() {
    }

    public static void check(String call, int rc) {
        if (rc != cudart.cudaSuccess) {
            throw new IllegalStateException(call + " failed: error " + rc + " (" + cudart.cudaGetErrorString(rc).getString() + ")");
        }
    }
}

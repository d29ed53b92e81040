package ssd.decoder.forward;

import org.bytedeco.cuda.cudart.CUstream_st;

/** One piece of a {@link FusedForward}'s device work, issued on {@code stream} (captured when it is capturing). */
interface ForwardStep extends AutoCloseable {
    void run(CUstream_st stream);

    /** Releases what the step holds (native launch arguments, tensor views); the step is not run again. */
    @Override
    void close();
}

package ssd.decoder.forward;

/**
 * A captured forward that can be replayed. An interface of its own so that code on the CPU path never names the
 * CUDA-graph class (and so never loads the CUDA runtime's Java classes).
 */
interface GraphReplay extends AutoCloseable {
    /** Runs the captured work on the calling thread's current stream. */
    void replay();

    @Override
    void close();
}

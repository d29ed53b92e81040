package ssd.decoder.forward;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import ssd.decoder.torch.DeviceToHost;
import ssd.decoder.torch.Torch;

/**
 * A {@link Readout} of one {@link StaticForward}'s static logits into a static output of its own, plus the pinned
 * host buffer it is copied into. With CUDA graphs the reduction is captured once and replayed right after the
 * forward's graph, so a decoding step costs two graph launches, one asynchronous copy back and one wait, whatever
 * the reduction's op count.
 */
final class StaticReadout implements AutoCloseable {
    private final StaticForward forward;
    private final Readout readout;
    private final int columns;
    private final Tensor output;
    private final DeviceToHost host;
    private GraphReplay graph;

    StaticReadout(StaticForward forward, Readout readout) {
        this.forward = forward;
        this.readout = readout;
        int vocab = Math.toIntExact(forward.logits().size(1));
        this.columns = readout.columns(vocab);
        long[] shape = {forward.bucket(), columns};
        try (PointerScope scope = new PointerScope()) {
            output = Torch.zeros(shape, forward.device(), org.bytedeco.pytorch.global.torch.ScalarType.Float);
            output.retainReference();
        }
        host = new DeviceToHost(shape, forward.device().is_cuda());
    }

    static String key(StaticForward forward, Readout readout, boolean fused) {
        return "readout " + readout.key() + " of " + StaticForward.key(forward.bucket(), fused);
    }

    /** Reduces the forward's current logits into the static output (eager; also what a graph captures). */
    private void compute() {
        try (PointerScope scope = new PointerScope()) {
            output.copy_(readout.apply(forward.logits()));
        }
    }

    /**
     * Runs the reduction on the logits the forward just produced (replaying its graph when {@code graphs}, captured on
     * first use) and returns the first {@code rows} rows on the host.
     */
    float[] read(int rows, boolean graphs) {
        if (!graphs) {
            compute();
        } else {
            if (graph == null) graph = CudaGraphForward.capture(forward.device(), readout.key() + " of bucket " + forward.bucket(), this::compute);
            graph.replay();
        }
        host.download(output);
        return host.read(rows * columns);
    }

    int columns() {
        return columns;
    }

    @Override
    public void close() {
        if (graph != null) graph.close();
        host.close();
        output.close();
    }
}

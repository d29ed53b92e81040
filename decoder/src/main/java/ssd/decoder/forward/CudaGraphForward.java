package ssd.decoder.forward;

import org.bytedeco.cuda.cudart.CUgraphExec_st;
import org.bytedeco.cuda.cudart.CUgraph_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.cuda.CUDAStream;
import org.bytedeco.pytorch.cuda.DeviceAssertionsDataVectorCUDAKernelLaunchInfoVectorPair;
import org.bytedeco.pytorch.cuda.MemPool;
import org.bytedeco.pytorch.cuda.StreamFilter;
import org.bytedeco.pytorch.global.torch_cuda;
import ssd.decoder.torch.CudaChecks;

import java.util.HashMap;
import java.util.Map;

/**
 * A {@link StaticForward} captured as a CUDA graph and replayed: one graph launch instead of ~15 kernel launches per
 * layer, which is what bounds small-batch decoding (see docs: an eager 1-token forward is dispatch-bound).
 *
 * <p>The only class that touches cudart and torch_cuda, so CPU users never load them. Capture follows the recipe
 * verified on our GPU hosts: warm up on a side stream (creates cuBLAS handles and workspaces outside the capture),
 * route allocations to a graph memory pool, capture in thread-local mode, instantiate; replays go to the caller's
 * current stream so they are ordered with the input copies before and the logits copy after. Every cudart return
 * code is checked.
 */
final class CudaGraphForward implements GraphReplay {
    private static final int WARMUP_RUNS = 2;

    /**
     * One graph pool per device for the whole process. Graphs only keep scratch in it (inputs, outputs and K/V live
     * outside), and replays are serialized on one stream, so sharing it is safe and bounds its size by the largest
     * bucket. The presets do not expose releasePool, so a pool is never freed; one per device keeps that bounded.
     */
    private static final Map<Byte, DeviceAssertionsDataVectorCUDAKernelLaunchInfoVectorPair> POOLS = new HashMap<>();

    /** Sends every allocation made during a capture to the graph pool. A field so the callback outlives the capture. */
    private static final StreamFilter ALL_STREAMS = allStreams();

    private static StreamFilter allStreams() {
        StreamFilter f = new StreamFilter() {
            @Override
            public boolean call(Pointer stream) {
                return true;
            }
        };
        f.retainReference(); // class initialization may run inside a caller's PointerScope
        return f;
    }

    private final byte device;
    private CUgraph_st graph;
    private CUgraphExec_st exec;

    private CudaGraphForward(byte device, CUgraph_st graph, CUgraphExec_st exec) {
        this.device = device;
        this.graph = graph;
        this.exec = exec;
    }

    /** Captures {@code forward} (whose static inputs already hold valid values) and returns its replayable graph. */
    static GraphReplay capture(StaticForward forward) {
        return capture(forward.device(), "bucket " + forward.bucket(), forward::compute);
    }

    /**
     * Captures {@code compute}, work that reads and writes only tensors allocated before the capture (temporaries go
     * to the graph pool), and returns its replayable graph; {@code label} names it in errors.
     */
    static GraphReplay capture(Device device, String label, Runnable compute) {
        if (!device.is_cuda()) throw new IllegalStateException("CUDA graphs need a CUDA device, not " + device.str().getString());
        byte dev = device.index() < 0 ? torch_cuda.current_device() : device.index();
        CUgraph_st graph = new CUgraph_st();
        CUgraphExec_st exec = new CUgraphExec_st();
        try (PointerScope scope = new PointerScope()) {
            CUDAStream previous = torch_cuda.getCurrentCUDAStream(dev);
            CUDAStream side = torch_cuda.getStreamFromPool(false, dev);
            // The static inputs were written on the previous stream; the side stream must see them.
            torch_cuda.device_synchronize();
            torch_cuda.setCurrentCUDAStream(side);
            try {
                for (int i = 0; i < WARMUP_RUNS; i++) compute.run();
                check("cudaStreamSynchronize", cudart.cudaStreamSynchronize(side.stream()));
                captureOn(side, dev, label, compute, graph);
                check("cudaGraphInstantiate", cudart.cudaGraphInstantiate(exec, graph, 0L));
                check("cudaStreamSynchronize", cudart.cudaStreamSynchronize(side.stream()));
            } catch (RuntimeException e) {
                destroy(exec, graph, e);
                throw e;
            } finally {
                torch_cuda.setCurrentCUDAStream(previous);
            }
        }
        return new CudaGraphForward(dev, graph, exec);
    }

    private static void captureOn(CUDAStream side, byte dev, String label, Runnable compute, CUgraph_st graph) {
        DeviceAssertionsDataVectorCUDAKernelLaunchInfoVectorPair pool = pool(dev);
        torch_cuda.beginAllocateToPool(dev, pool, ALL_STREAMS);
        try {
            check("cudaStreamBeginCapture", cudart.cudaStreamBeginCapture(side.stream(), cudart.cudaStreamCaptureModeThreadLocal));
            try {
                compute.run();
            } catch (RuntimeException e) {
                // Leave capture mode before reporting, or the stream stays unusable.
                CUgraph_st broken = new CUgraph_st();
                int rc = cudart.cudaStreamEndCapture(side.stream(), broken);
                if (rc == cudart.cudaSuccess && !broken.isNull()) cudart.cudaGraphDestroy(broken);
                cudart.cudaGetLastError(); // clear the (non-sticky) capture error
                throw new IllegalStateException("CUDA graph capture of " + label + " failed: " + e.getMessage(), e);
            }
            check("cudaStreamEndCapture", cudart.cudaStreamEndCapture(side.stream(), graph));
        } finally {
            torch_cuda.endAllocateToPool(dev, pool);
        }
    }

    private static synchronized DeviceAssertionsDataVectorCUDAKernelLaunchInfoVectorPair pool(byte dev) {
        return POOLS.computeIfAbsent(dev, d -> {
            DeviceAssertionsDataVectorCUDAKernelLaunchInfoVectorPair handle = MemPool.graph_pool_handle();
            handle.retainReference(); // lives for the process (see POOLS)
            return handle;
        });
    }

    @Override
    public void replay() {
        if (exec == null) throw new IllegalStateException("CUDA graph is closed");
        try (PointerScope scope = new PointerScope()) {
            CUDAStream current = torch_cuda.getCurrentCUDAStream(device);
            check("cudaGraphLaunch", cudart.cudaGraphLaunch(exec, current.stream()));
        }
    }

    @Override
    public void close() {
        if (exec == null) return;
        CUgraphExec_st e = exec;
        CUgraph_st g = graph;
        exec = null;
        graph = null;
        // Pending replays still use the graph's scratch and the static tensors that are freed after this.
        check("cudaDeviceSynchronize", cudart.cudaDeviceSynchronize());
        destroy(e, g, null);
    }

    /** Destroys what was created; failures are added to {@code cause} if given, else thrown. */
    private static void destroy(CUgraphExec_st exec, CUgraph_st graph, RuntimeException cause) {
        RuntimeException failure = null;
        try {
            if (exec != null && !exec.isNull()) check("cudaGraphExecDestroy", cudart.cudaGraphExecDestroy(exec));
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            if (graph != null && !graph.isNull()) check("cudaGraphDestroy", cudart.cudaGraphDestroy(graph));
        } catch (RuntimeException e) {
            if (failure == null) failure = e;
            else failure.addSuppressed(e);
        }
        if (failure == null) return;
        if (cause != null) cause.addSuppressed(failure);
        else throw failure;
    }

    private static void check(String call, int rc) {
        CudaChecks.check(call, rc);
    }
}

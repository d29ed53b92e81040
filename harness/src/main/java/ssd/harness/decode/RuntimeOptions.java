package ssd.harness.decode;

import org.bytedeco.pytorch.Device;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import ssd.common.Dtype;
import ssd.decoder.forward.Forward;
import ssd.decoder.forward.ForwardKernels;
import ssd.decoder.forward.ForwardMode;
import ssd.decoder.forward.ForwardPlan;
import ssd.decoder.forward.FusedOptions;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.torch.Torch;

import java.nio.file.Path;

/**
 * --dtype, --device, how forwards run (--cuda-graphs, --forward-mode, --kernels, the --fused-* options) and --threads,
 * shared by every command that runs a model. {@link #plan()} turns them into the one {@link ForwardPlan} of the run.
 */
public final class RuntimeOptions {
    @Option(names = "--dtype", defaultValue = "fp32", description = "fp32, fp16 or bf16 (default: ${DEFAULT-VALUE})")
    String dtype;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda or cuda:N (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--cuda-graphs", description = "capture forwards as CUDA graphs, one per batch-size bucket, and replay them (needs --device cuda)")
    boolean cudaGraphs;

    @Option(names = "--forward-mode", defaultValue = "eager",
            description = "eager, static (fixed-shape forwards, what graphs capture; also on the CPU) or cuda-graph (default: ${DEFAULT-VALUE})")
    String forwardMode;

    @Option(names = "--kernels", defaultValue = "fused",
            description = "what static and cuda-graph forwards are made of: fused (our CUDA kernels, fp16 on CUDA; ATen elsewhere) "
                    + "or aten (default: ${DEFAULT-VALUE})")
    String kernels;

    @Option(names = "--fused-cluster-linears", defaultValue = "narrow",
            description = "fused tree-batch linears that split K over a thread-block cluster (Hopper): narrow, all or none (default: ${DEFAULT-VALUE})")
    String clusterLinears;

    @Option(names = "--fused-cublas-from", defaultValue = "" + FusedOptions.DEFAULT_CUBLAS_FROM_ROWS,
            description = "rows from which fused forwards run the layers' linears on cuBLAS (16, 32, 64; above 64: never; default: ${DEFAULT-VALUE})")
    int cublasFrom;

    @Option(names = "--fused-pdl", defaultValue = "true", arity = "1",
            description = "programmatic dependent launch between fused kernels on Hopper: true or false (default: ${DEFAULT-VALUE})")
    boolean pdl;

    @Mixin
    ThreadsOption threads;

    private ForwardPlan plan;

    public Dtype dtype() {
        return Dtype.parse(dtype);
    }

    public Device device() {
        return Torch.device(device);
    }

    public String deviceFlag() {
        return device;
    }

    /**
     * The run's forward plan, made and validated once (refusing CUDA graphs off CUDA, unknown kernels and options before
     * anything is loaded), with libtorch's threads set.
     */
    public ForwardPlan plan() {
        if (plan != null) return plan;
        ForwardMode mode = ForwardMode.parse(forwardMode);
        if (cudaGraphs) {
            if (mode == ForwardMode.STATIC) throw new IllegalArgumentException("--cuda-graphs and --forward-mode static contradict each other");
            mode = ForwardMode.CUDA_GRAPH;
        }
        FusedOptions fused = new FusedOptions(FusedOptions.ClusterLinears.parse(clusterLinears), cublasFrom, pdl);
        ForwardPlan p = new ForwardPlan(mode, ForwardKernels.parse(kernels), fused, dtype(), device, threads.threads());
        threads.apply();
        plan = p;
        return p;
    }

    /** Loads a checkpoint in the plan's dtype on its device. */
    public GPT2Model load(Path checkpoint) {
        return GPT2Model.load(checkpoint, plan().dtype(), device());
    }

    /** The plan's forward of {@code model}. */
    public Forward forward(GPT2Model model) {
        return Forward.create(model, plan());
    }
}

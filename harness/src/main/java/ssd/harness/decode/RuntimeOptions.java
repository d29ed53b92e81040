package ssd.harness.decode;

import org.bytedeco.pytorch.Device;
import picocli.CommandLine.Option;
import ssd.decoder.checkpoint.DType;
import ssd.decoder.model.ForwardKernels;
import ssd.decoder.model.ForwardMode;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.model.Torch;

/** --dtype, --device and how forwards run (--cuda-graphs, --forward-mode, --kernels), shared by every command that runs a model. */
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

    public DType dtype() {
        return DType.parseFlag(dtype);
    }

    public Device device() {
        return Torch.device(device);
    }

    public String deviceFlag() {
        return device;
    }

    /** The forward mode asked for; refuses CUDA graphs off CUDA, and unknown kernels, before anything is loaded. */
    public ForwardMode forwardMode() {
        kernels();
        ForwardMode mode = ForwardMode.parse(forwardMode);
        if (cudaGraphs) {
            if (mode == ForwardMode.STATIC) throw new IllegalArgumentException("--cuda-graphs and --forward-mode static contradict each other");
            mode = ForwardMode.CUDA_GRAPH;
        }
        if (mode == ForwardMode.CUDA_GRAPH && !device.startsWith("cuda")) {
            throw new IllegalArgumentException("--cuda-graphs needs --device cuda, not --device " + device
                    + " (use --forward-mode static to run the fixed-shape forward on the CPU)");
        }
        return mode;
    }

    public ForwardKernels kernels() {
        return ForwardKernels.parse(kernels);
    }

    /** Sets the model's forward mode and kernels (for the caches its decoders make) and returns it. */
    public GPT2Model configure(GPT2Model model) {
        return model.setForwardMode(forwardMode()).setKernels(kernels());
    }
}

package ssd.harness.decode;

import org.bytedeco.pytorch.Device;
import picocli.CommandLine.Option;
import ssd.decoder.checkpoint.DType;
import ssd.decoder.model.Torch;

/** --dtype and --device, shared by every command that runs a model. */
public final class RuntimeOptions {
    @Option(names = "--dtype", defaultValue = "fp32", description = "fp32, fp16 or bf16 (default: ${DEFAULT-VALUE})")
    String dtype;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda or cuda:N (default: ${DEFAULT-VALUE})")
    String device;

    public DType dtype() {
        return DType.parseFlag(dtype);
    }

    public Device device() {
        return Torch.device(device);
    }

    public String deviceFlag() {
        return device;
    }
}

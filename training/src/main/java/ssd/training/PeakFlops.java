package ssd.training;

import ssd.common.Dtype;
import ssd.roofline.device.DeviceCatalog;

import java.util.OptionalDouble;

/** The peak that MFU divides by: the dense bf16 FLOP/s of the GPU a device name names, from the simulator's device catalog. */
public final class PeakFlops {
    private PeakFlops() {
    }

    /** The peak for a GPU name as nvidia-smi prints it, e.g. "NVIDIA H100 80GB HBM3"; empty when the catalog lacks the card. */
    public static OptionalDouble forDeviceName(String name) {
        return DeviceCatalog.gpuNamed(name).map(d -> OptionalDouble.of(d.peakFlops(Dtype.BF16))).orElseGet(OptionalDouble::empty);
    }
}

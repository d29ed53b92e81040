package ssd.training;

import java.util.Locale;
import java.util.OptionalDouble;

/** Dense bf16 peak FLOP/s of known accelerators (without sparsity), looked up from the device name. */
public final class PeakFlops {
    private PeakFlops() {
    }

    /** The peak for a GPU name as nvidia-smi prints it, e.g. "NVIDIA H100 80GB HBM3"; empty when unknown. */
    public static OptionalDouble forDeviceName(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        if (n.contains("H100")) return OptionalDouble.of(n.contains("PCIE") ? 756e12 : 989e12);
        if (n.contains("H200")) return OptionalDouble.of(989e12);
        if (n.contains("A100")) return OptionalDouble.of(312e12);
        if (n.contains("4090")) return OptionalDouble.of(165.2e12);
        return OptionalDouble.empty();
    }
}

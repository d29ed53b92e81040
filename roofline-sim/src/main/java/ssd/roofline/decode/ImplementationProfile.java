package ssd.roofline.decode;

import ssd.common.Dtype;
import ssd.roofline.device.Device;
import ssd.roofline.device.DeviceCatalog;

import java.util.Locale;

/**
 * How a decoder implementation would run on a device: forward times from {@code device} (kernels, and per-op host
 * overhead when the implementation dispatches op by op) plus the host costs around the forwards.
 *
 * @param name   "paper", "ours", or a label of the caller's
 * @param device forward model
 * @param host   host costs around the forwards
 * @param source how the two were put together
 */
public record ImplementationProfile(String name, Device device, HostCosts host, String source) {

    public ImplementationProfile {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a profile needs a name");
        if (device == null || host == null) throw new IllegalArgumentException("profile " + name + " needs a device and host costs");
        if (source == null) source = "";
    }

    /**
     * The paper's eager PyTorch on the RTX 4090: forwards from the catalog's {@code rtx4090}, whose kernel latency and
     * per-op host overhead reproduce the paper's 150 tokens/s GPT-2-L baseline with 35% of the time on the host
     * ({@code Anchors.PAPER_RTX4090}); that per-op overhead already holds a forward's host work, so the per-forward
     * host cost is 0. The costs around forwards that the paper does not report (draft scoring per level, n-gram
     * lookups, tree bookkeeping, verification per row) are taken from {@code measured}, ours.
     */
    public static ImplementationProfile paper(HostCosts measured) {
        return new ImplementationProfile("paper", DeviceCatalog.get("rtx4090"), measured.withPerForwardSeconds(0),
                "rtx4090 anchored to the paper's 150 tokens/s eager GPT-2-L baseline; per-forward host 0 (in the per-op overhead); "
                        + "other host costs ours (" + measured.source() + ")");
    }

    /**
     * Our decoder on the RTX 4090: the 4090's datasheet bandwidth and compute peaks, the latter times the fraction of
     * its own peak that {@code calibrated} (our forwards, fitted by {@code ssd simulate calibrate}) reached; our kernel
     * latency and per-op host overhead as calibrated; our host costs around forwards as measured.
     */
    public static ImplementationProfile ours(Device calibrated, HostCosts measured) {
        Device card = DeviceCatalog.get("rtx4090");
        double fraction = calibrated.peakFlops(Dtype.FP16) / DeviceCatalog.priorFor(calibrated.name()).peakFlops(Dtype.FP16);
        Device d = new Device("rtx4090 [" + tagOf(calibrated.name()) + "] (ours)", Device.Kind.GPU, card.memoryBandwidth(), 0, card.fp16Flops() * fraction,
                card.bf16Flops() * fraction, card.fp32Flops() * fraction, card.l2Bytes(), card.smCount(), calibrated.kernelLatency(),
                calibrated.hostOverheadPerOp(), calibrated.launch(), String.format(Locale.ROOT,
                "rtx4090 datasheet bandwidth; peaks x%.3g as reached by %s; kernel latency %.2f us and host %.2f us per op from it",
                fraction, calibrated.name(), calibrated.kernelLatency() * 1e6, calibrated.hostOverheadPerOp() * 1e6));
        return new ImplementationProfile("ours", d, measured, d.source() + "; host costs " + measured.source());
    }

    /** The mode tag of a calibrated device's name ("cuda-graph+fused" in "NVIDIA H200 [cuda-graph+fused]"), so the same kernel set is costed. */
    private static String tagOf(String name) {
        int open = name.indexOf('['), close = name.indexOf(']', open + 1);
        return open < 0 || close < 0 ? "eager" : name.substring(open + 1, close);
    }

    /** Our decoder where it was measured: the calibrated device itself and the fitted host costs. */
    public static ImplementationProfile measured(Device calibrated, HostCosts measured) {
        return new ImplementationProfile("measured", calibrated, measured, calibrated.name() + "; host costs " + measured.source());
    }
}

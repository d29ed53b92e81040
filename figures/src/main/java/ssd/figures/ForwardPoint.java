package ssd.figures;

/**
 * One measured forward from an {@code ssd bench-forward} CSV row, and what Figure 1 plots for it.
 *
 * <p>FLOPs are approximated as {@code 2 * parameters * newTokens} with {@code parameters = weightBytes / bytesPerElement}
 * (attention over the prefix is left out), so the arithmetic intensity is {@code 2 * newTokens / bytesPerElement}
 * FLOP per byte of weights streamed.
 *
 * @param device                  the CSV's device column, mode tag included (e.g. "NVIDIA H200 [cuda-graph+fused]")
 * @param model                   the model's shape, e.g. "36L d1280"
 * @param copyBandwidthBytesPerS  the copy bandwidth measured next to this forward
 */
public record ForwardPoint(String device, String dtype, String model, int newTokens, double msPerForward, long weightBytes,
                           double copyBandwidthBytesPerS) {

    public ForwardPoint {
        if (newTokens <= 0) throw new IllegalArgumentException("new_tokens must be positive, got " + newTokens);
        if (!(msPerForward > 0)) throw new IllegalArgumentException("ms_per_forward must be positive, got " + msPerForward);
        if (weightBytes <= 0) throw new IllegalArgumentException("weight_bytes must be positive, got " + weightBytes);
        if (!(copyBandwidthBytesPerS > 0)) throw new IllegalArgumentException("copy_bandwidth_bytes_per_s must be positive, got " + copyBandwidthBytesPerS);
        bytesPerElement(dtype);
    }

    /** 2 for fp16/bf16, 4 for fp32. */
    public static int bytesPerElement(String dtype) {
        return switch (dtype) {
            case "fp16", "bf16" -> 2;
            case "fp32" -> 4;
            default -> throw new IllegalArgumentException("unknown dtype '" + dtype + "': expected fp16, bf16 or fp32");
        };
    }

    /** The series a point belongs to: device label, dtype and model. */
    public String seriesLabel() {
        return device + " " + dtype + " " + model;
    }

    /** The device without its mode tag: "NVIDIA H200 [cuda-graph]" is "NVIDIA H200". */
    public String hardware() {
        int tag = device.indexOf(" [");
        return tag < 0 ? device : device.substring(0, tag);
    }

    public double parameters() {
        return (double) weightBytes / bytesPerElement(dtype);
    }

    public double flops() {
        return 2 * parameters() * newTokens;
    }

    /** FLOP per byte of weights streamed. */
    public double intensity() {
        return flops() / weightBytes;
    }

    public double achievedFlopsPerSecond() {
        return flops() / (msPerForward / 1000);
    }
}

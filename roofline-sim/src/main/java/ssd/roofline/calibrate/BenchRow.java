package ssd.roofline.calibrate;

import ssd.common.Dtype;
import ssd.roofline.ModelShape;

/**
 * One line of a forward-timing benchmark file (see {@link BenchCsv}).
 *
 * @param device        free-text device name, e.g. "NVIDIA H100 80GB HBM3" or "Intel Xeon ... (2 cores)"
 * @param dtype         dtype of the timed forward
 * @param shape         model shape
 * @param prefixLen     KV-cache length before the forward
 * @param newTokens     tokens in the forward's batch
 * @param msPerForward  measured milliseconds per forward (mean or median over repeats, after warm-up)
 * @param weightBytes   parameter bytes of the model as loaded (cross-checked against the cost model)
 * @param copyBandwidth measured device copy bandwidth in bytes/s; 0 when not measured
 */
public record BenchRow(String device, Dtype dtype, ModelShape shape, int prefixLen, int newTokens, double msPerForward,
                       long weightBytes, double copyBandwidth) {

    public BenchRow {
        if (device == null || device.isBlank()) throw new IllegalArgumentException("device must not be empty");
        if (prefixLen < 0) throw new IllegalArgumentException("prefix_len must be >= 0, got " + prefixLen);
        if (newTokens < 1) throw new IllegalArgumentException("new_tokens must be >= 1, got " + newTokens);
        if (!(msPerForward > 0) || !Double.isFinite(msPerForward)) {
            throw new IllegalArgumentException("ms_per_forward must be a positive number, got " + msPerForward);
        }
        if (weightBytes < 0) throw new IllegalArgumentException("weight_bytes must be >= 0, got " + weightBytes);
        if (!(copyBandwidth >= 0) || !Double.isFinite(copyBandwidth)) {
            throw new IllegalArgumentException("copy_bandwidth_bytes_per_s must be >= 0, got " + copyBandwidth);
        }
    }

    public double seconds() {
        return msPerForward / 1e3;
    }
}

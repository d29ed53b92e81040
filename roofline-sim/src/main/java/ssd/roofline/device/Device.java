package ssd.roofline.device;

import ssd.common.Dtype;

/**
 * One accelerator or CPU as the simulator sees it. Peaks are dense rates (for GPUs, tensor cores with fp32 accumulate
 * for fp16/bf16). {@code copyBandwidth}, when measured ({@code > 0}), overrides the datasheet {@code memoryBandwidth}.
 *
 * @param name              catalog name or free-text device name
 * @param kind              GPU or CPU
 * @param memoryBandwidth   datasheet DRAM bandwidth, bytes/s
 * @param copyBandwidth     measured device copy bandwidth, bytes/s; 0 when not measured
 * @param fp16Flops         dense fp16 peak, FLOP/s
 * @param bf16Flops         dense bf16 peak, FLOP/s
 * @param fp32Flops         dense fp32 peak, FLOP/s
 * @param l2Bytes           last-level cache size (carried for reports; the cost model assumes one DRAM pass per operand)
 * @param smCount           streaming multiprocessors (cores for a CPU)
 * @param kernelLatency     fixed device time added to every kernel, seconds
 * @param hostOverheadPerOp host time to issue one op, seconds (a property of the implementation and host CPU)
 * @param launch            how host overhead combines with device time
 * @param source            where the numbers come from (datasheet, paper anchor, calibrate run)
 */
public record Device(String name, Kind kind, double memoryBandwidth, double copyBandwidth,
                     double fp16Flops, double bf16Flops, double fp32Flops, long l2Bytes, int smCount,
                     double kernelLatency, double hostOverheadPerOp, Launch launch, String source) {

    public enum Kind { GPU, CPU }

    public Device {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("device name must not be empty");
        if (kind == null) throw new IllegalArgumentException("device " + name + ": kind must be gpu or cpu");
        if (launch == null) launch = Launch.SERIAL;
        if (source == null) source = "";
        positive(name, "memory_bandwidth_bytes_per_s", memoryBandwidth);
        positive(name, "peak_fp16_flops", fp16Flops);
        positive(name, "peak_bf16_flops", bf16Flops);
        positive(name, "peak_fp32_flops", fp32Flops);
        nonNegative(name, "copy_bandwidth_bytes_per_s", copyBandwidth);
        nonNegative(name, "kernel_latency_s", kernelLatency);
        nonNegative(name, "host_overhead_per_op_s", hostOverheadPerOp);
        nonNegative(name, "l2_bytes", l2Bytes);
        nonNegative(name, "sm_count", smCount);
    }

    private static void positive(String device, String key, double v) {
        if (!(v > 0) || !Double.isFinite(v)) throw new IllegalArgumentException("device " + device + ": " + key + " must be > 0, got " + v);
    }

    private static void nonNegative(String device, String key, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) throw new IllegalArgumentException("device " + device + ": " + key + " must be >= 0, got " + v);
    }

    /** The bandwidth the roofline uses: measured copy bandwidth when known, else the datasheet figure. */
    public double bandwidth() {
        return copyBandwidth > 0 ? copyBandwidth : memoryBandwidth;
    }

    public double peakFlops(Dtype dtype) {
        return switch (dtype) {
            case FP32 -> fp32Flops;
            case FP16 -> fp16Flops;
            case BF16 -> bf16Flops;
        };
    }

    /** Arithmetic intensity (FLOP/byte) where the bandwidth slope meets the compute ceiling. */
    public double ridgePoint(Dtype dtype) {
        return peakFlops(dtype) / bandwidth();
    }

    public Device withName(String newName) {
        return new Device(newName, kind, memoryBandwidth, copyBandwidth, fp16Flops, bf16Flops, fp32Flops, l2Bytes, smCount,
                kernelLatency, hostOverheadPerOp, launch, source);
    }

    public Device withCopyBandwidth(double bytesPerSecond) {
        return new Device(name, kind, memoryBandwidth, bytesPerSecond, fp16Flops, bf16Flops, fp32Flops, l2Bytes, smCount,
                kernelLatency, hostOverheadPerOp, launch, source);
    }

    public Device withOverheads(double newKernelLatency, double newHostOverheadPerOp) {
        return new Device(name, kind, memoryBandwidth, copyBandwidth, fp16Flops, bf16Flops, fp32Flops, l2Bytes, smCount,
                newKernelLatency, newHostOverheadPerOp, launch, source);
    }

    public Device withLaunch(Launch newLaunch) {
        return new Device(name, kind, memoryBandwidth, copyBandwidth, fp16Flops, bf16Flops, fp32Flops, l2Bytes, smCount,
                kernelLatency, hostOverheadPerOp, newLaunch, source);
    }

    /** All three compute peaks multiplied by {@code factor} (calibration fits one achieved fraction of peak). */
    public Device withComputeScale(double factor) {
        return new Device(name, kind, memoryBandwidth, copyBandwidth, fp16Flops * factor, bf16Flops * factor, fp32Flops * factor,
                l2Bytes, smCount, kernelLatency, hostOverheadPerOp, launch, source);
    }

    public Device withSource(String newSource) {
        return new Device(name, kind, memoryBandwidth, copyBandwidth, fp16Flops, bf16Flops, fp32Flops, l2Bytes, smCount,
                kernelLatency, hostOverheadPerOp, launch, newSource);
    }
}

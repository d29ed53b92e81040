package ssd.roofline.time;

import ssd.common.Dtype;
import ssd.roofline.cost.Kernel;
import ssd.roofline.cost.Workload;
import ssd.roofline.device.Device;
import ssd.roofline.device.Launch;

/**
 * Turns a workload into seconds on a device. Each kernel takes max(FLOPs / peak(dtype), bytes / bandwidth) plus the
 * device's kernel latency; each host op costs the host overhead. {@link Launch#SERIAL} adds everything (the issue's
 * formula); {@link Launch#PIPELINED} overlaps host issue with kernel execution (see {@link Launch}).
 */
public final class TimeModel {
    private TimeModel() {
    }

    public static WorkloadTime time(Device device, Workload w, Dtype dtype) {
        double peak = device.peakFlops(dtype);
        double bw = device.bandwidth();
        double lat = device.kernelLatency();
        double host = device.hostOverheadPerOp();
        double compute = 0, memory = 0;
        for (Kernel k : w.kernels()) {
            double c = k.flops() / peak;
            double m = k.bytes() / bw;
            if (c > m) compute += c;
            else memory += m;
        }
        double latency = w.kernelCount() * lat;
        double hostTotal = w.hostOps() * host;
        double seconds = device.launch() == Launch.SERIAL
                ? compute + memory + latency + hostTotal
                : pipelinedMakespan(w, peak, bw, lat, host);
        return new WorkloadTime(seconds, compute, memory, latency, hostTotal);
    }

    /**
     * Host issues ops back to back, one every {@code host} seconds; host ops beyond one per kernel are issued first.
     * Kernel i starts when issued and when kernel i-1 has finished. The forward ends when both are done.
     */
    private static double pipelinedMakespan(Workload w, double peak, double bw, double lat, double host) {
        int kernels = w.kernelCount();
        int extraOps = Math.max(0, w.hostOps() - kernels);
        // Fewer ops than kernels (e.g. one graph launch) spreads their cost over the kernels.
        double perKernel = kernels == 0 ? 0 : host * Math.min(w.hostOps(), kernels) / kernels;
        double issued = extraOps * host;
        double deviceFree = 0;
        for (Kernel k : w.kernels()) {
            issued += perKernel;
            double start = Math.max(issued, deviceFree);
            deviceFree = start + Math.max(k.flops() / peak, k.bytes() / bw) + lat;
        }
        return Math.max(issued, deviceFree);
    }
}

package ssd.roofline.time;

/**
 * Predicted time of a workload and where it goes.
 *
 * @param seconds         predicted wall time
 * @param computeSeconds  sum of FLOPs/peak over kernels whose compute time exceeds their memory time
 * @param memorySeconds   sum of bytes/bandwidth over the other kernels
 * @param latencySeconds  kernel count x kernel latency
 * @param hostSeconds     host ops x host overhead per op
 */
public record WorkloadTime(double seconds, double computeSeconds, double memorySeconds, double latencySeconds,
                           double hostSeconds) {

    /** The pure roofline part: sum over kernels of max(FLOPs/peak, bytes/bandwidth). */
    public double rooflineSeconds() {
        return computeSeconds + memorySeconds;
    }

    /** The largest of the four terms: "compute", "memory", "latency" or "host". */
    public String bound() {
        double[] parts = {computeSeconds, memorySeconds, latencySeconds, hostSeconds};
        String[] names = {"compute", "memory", "latency", "host"};
        int best = 0;
        for (int i = 1; i < parts.length; i++) if (parts[i] > parts[best]) best = i;
        return names[best];
    }
}

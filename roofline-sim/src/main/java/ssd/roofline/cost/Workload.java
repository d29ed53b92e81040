package ssd.roofline.cost;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sequence of kernels in launch order and the host ops that issue them (one forward, or a KV-cache commit).
 *
 * @param label   what this is, for reports
 * @param kernels kernels in the order they run
 * @param hostOps ops the host issues (the simulator charges host overhead per op)
 */
public record Workload(String label, List<Kernel> kernels, int hostOps) {

    public Workload {
        kernels = List.copyOf(kernels);
        if (hostOps < 0) throw new IllegalArgumentException("hostOps must be >= 0");
    }

    public int kernelCount() {
        return kernels.size();
    }

    public long flops() {
        long s = 0;
        for (Kernel k : kernels) s += k.flops();
        return s;
    }

    public long bytes() {
        long s = 0;
        for (Kernel k : kernels) s += k.bytes();
        return s;
    }

    public long weightBytes() {
        long s = 0;
        for (Kernel k : kernels) s += k.weightBytes();
        return s;
    }

    public long kvBytes() {
        long s = 0;
        for (Kernel k : kernels) s += k.kvBytes();
        return s;
    }

    public long activationBytes() {
        long s = 0;
        for (Kernel k : kernels) s += k.activationBytes();
        return s;
    }

    public double arithmeticIntensity() {
        long b = bytes();
        return b == 0 ? 0 : (double) flops() / b;
    }

    /** This workload followed by another (e.g. a tree forward and its KV commit). */
    public Workload then(Workload next) {
        List<Kernel> all = new ArrayList<>(kernels);
        all.addAll(next.kernels);
        return new Workload(label + " + " + next.label, all, hostOps + next.hostOps);
    }

    /** Kernels summed by name over layers, in first-seen order (for per-kernel tables). */
    public Map<String, Kernel> byName() {
        Map<String, Kernel> out = new LinkedHashMap<>();
        for (Kernel k : kernels) {
            out.merge(k.name(), new Kernel(k.name(), -1, k.flops(), k.weightBytes(), k.kvBytes(), k.activationBytes()),
                    (a, b) -> new Kernel(a.name(), -1, a.flops() + b.flops(), a.weightBytes() + b.weightBytes(),
                            a.kvBytes() + b.kvBytes(), a.activationBytes() + b.activationBytes()));
        }
        return out;
    }
}

package ssd.roofline.ncu;

import ssd.roofline.cost.Kernel;
import ssd.roofline.cost.Workload;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One profiled forward (its kernels' counters) against the cost model's workload for the same forward, group by group
 * ({@link KernelGroup}) and in total. The check's verdict is on the totals: the measured intensity (model FLOPs over
 * counted DRAM bytes) within {@code target} of the predicted one, and the counters having seen at least
 * (1 - target) of the model's FLOPs executed (fewer would mean the model counts work that does not happen).
 */
public final class IntensityComparison {
    private IntensityComparison() {
    }

    public static List<IntensityRow> compare(List<NcuKernel> forward, Workload predicted, double flopsPerTensorOp) {
        Map<KernelGroup, double[]> m = new EnumMap<>(KernelGroup.class), p = new EnumMap<>(KernelGroup.class);
        for (KernelGroup g : KernelGroup.values()) {
            m.put(g, new double[4]);
            p.put(g, new double[2]);
        }
        boolean flops = forward.stream().anyMatch(NcuMetrics::hasFlopCounters);
        List<KernelGroup> groups = KernelGroup.ofForward(forward);
        for (int i = 0; i < forward.size(); i++) {
            NcuKernel k = forward.get(i);
            double[] a = m.get(groups.get(i));
            a[0] += 1;
            a[1] += k.metric(NcuMetrics.DRAM_READ);
            a[2] += k.metric(NcuMetrics.DRAM_WRITE);
            a[3] += NcuMetrics.tensorFlops(k, flopsPerTensorOp) + NcuMetrics.otherFlops(k);
        }
        for (Kernel k : predicted.kernels()) {
            double[] a = p.get(KernelGroup.ofPredicted(k.name()));
            a[0] += k.flops();
            a[1] += k.bytes();
        }
        List<IntensityRow> rows = new ArrayList<>();
        double[] tm = new double[4], tp = new double[2];
        for (KernelGroup g : KernelGroup.values()) {
            double[] a = m.get(g), b = p.get(g);
            rows.add(new IntensityRow(g.label(), (int) a[0], a[1], a[2], flops ? a[3] : Double.NaN, b[0], b[1]));
            for (int j = 0; j < 4; j++) tm[j] += a[j];
            tp[0] += b[0];
            tp[1] += b[1];
        }
        rows.add(new IntensityRow("total", (int) tm[0], tm[1], tm[2], flops ? tm[3] : Double.NaN, tp[0], tp[1]));
        return rows;
    }

    /** Whether a total row passes: intensity within target, and (when counted) executed FLOPs not below the model's by more. */
    public static boolean passes(IntensityRow total, double target) {
        boolean intensity = Math.abs(total.intensityError()) <= target;
        boolean work = Double.isNaN(total.countedFlops()) || total.executedOverModelFlops() >= 1 - target;
        return intensity && work;
    }
}

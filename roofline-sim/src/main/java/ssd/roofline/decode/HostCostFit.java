package ssd.roofline.decode;

import ssd.roofline.device.Device;
import ssd.roofline.device.Launch;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Fits the time a decoder spends beyond the roofline to measured {@code bench-decode} records: one fixed cost per
 * kernel (launch, ramp-up and tail of a kernel in a replayed graph, or kernel latency plus per-op host overhead when
 * ops are dispatched one by one: the serial model cannot tell them apart) and the {@link HostCosts} around forwards.
 *
 * <p>For every run and every stage (oracle, draft, n-gram, bookkeeping), measured stage time minus the roofline part
 * of its forwards on {@code device} (bandwidth and compute peaks as given; kernels as its name implies) is one
 * equation, linear in the unknowns: kernels x per-kernel cost + counts x host costs ({@link RunWork#features}). Each
 * equation is divided by the run's measured decoding time, so every run weighs the same whatever its length, and the
 * unknowns are found by non-negative least squares. The per-kernel cost and the per-forward host cost are told apart
 * because the oracle and the draft launch different numbers of kernels per forward.
 *
 * @param device the forward model: {@code device} with the fitted per-kernel cost as its kernel latency, no per-op
 *               host overhead, serial launch
 * @param host   the fitted host costs
 */
public record HostCostFit(Device device, HostCosts host) {

    public static HostCostFit fit(List<DecodeRecord> records, Device device, String sourceLabel) {
        if (records.isEmpty()) throw new IllegalArgumentException("no records to fit host costs to");
        ForwardTimes times = new ForwardTimes(device);
        int n = HostCosts.KEYS.length + 1; // the per-kernel cost first
        List<double[]> rows = new ArrayList<>();
        List<Double> rhs = new ArrayList<>();
        for (DecodeRecord r : records) {
            RunWork w = RunWork.of(r.trace(), times);
            double weight = 1 / Math.max(r.measured().decodeSeconds(), 1e-9);
            for (int stage = 0; stage < 4; stage++) {
                double[] f = w.features(stage);
                double[] row = new double[n];
                row[0] = w.kernels(stage) * weight;
                boolean any = row[0] != 0;
                for (int i = 0; i < f.length; i++) {
                    row[i + 1] = f[i] * weight;
                    any |= f[i] != 0;
                }
                if (!any) continue;
                rows.add(row);
                rhs.add((RunWork.stage(r.measured(), stage) - w.rooflineSeconds(stage)) * weight);
            }
        }
        // Columns scaled to unit norm: counts range from tens (rounds) to hundreds of thousands (kernels).
        double[] scale = new double[n];
        for (double[] row : rows) for (int j = 0; j < n; j++) scale[j] += row[j] * row[j];
        for (int j = 0; j < n; j++) scale[j] = scale[j] > 0 ? Math.sqrt(scale[j]) : 1;
        double[][] a = new double[rows.size()][n];
        double[] b = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < n; j++) a[i][j] = rows.get(i)[j] / scale[j];
            b[i] = rhs.get(i);
        }
        double[] x = Nnls.solve(a, b);
        for (int j = 0; j < n; j++) x[j] /= scale[j];
        double[] host = new double[n - 1];
        System.arraycopy(x, 1, host, 0, host.length);
        String source = String.format(Locale.ROOT, "fitted to %d bench-decode records (%s) over the roofline of %s; %.2f us per kernel",
                records.size(), sourceLabel, device.name(), x[0] * 1e6);
        Device fitted = device.withLaunch(Launch.SERIAL).withOverheads(x[0], 0).withSource(source);
        return new HostCostFit(fitted, HostCosts.of(host, source));
    }
}

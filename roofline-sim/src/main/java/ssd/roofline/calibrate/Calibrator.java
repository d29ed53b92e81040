package ssd.roofline.calibrate;

import ssd.roofline.Medians;
import ssd.roofline.ModelShape;
import ssd.roofline.cost.ForwardCostModel;
import ssd.roofline.cost.ForwardImpl;
import ssd.roofline.cost.Workload;
import ssd.roofline.device.Device;
import ssd.roofline.device.DeviceCatalog;
import ssd.roofline.device.Launch;
import ssd.roofline.time.TimeModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Fits a machine to forward timings: one achieved fraction of the prior's compute peaks, the kernel latency and the
 * host overhead per op. Bandwidth is not fitted: it is the median measured copy bandwidth of the bench rows (the
 * prior's figure when none was measured), because at batch 1 bandwidth and fixed costs cannot be told apart.
 *
 * <p>The objective is the mean squared log ratio of predicted to measured time, so every row counts by its relative
 * error. What a bench can determine depends on the launch model:
 * <ul>
 *   <li>serial: latency and host overhead enter only as their sum per kernel (one host op per kernel), so the sum is
 *       fitted and split in the prior's proportion (all host overhead for a CPU, whose prior latency is 0);</li>
 *   <li>pipelined: both are fitted when the bench spans host-bound and device-bound forwards; a parameter whose
 *       doubling or halving moves the RMS error by less than {@link #INSENSITIVE_RMS} keeps its prior value.</li>
 * </ul>
 */
public final class Calibrator {
    /** Launch model to fit; AUTO fits both and keeps pipelined only when it is clearly better. */
    public enum Mode { AUTO, SERIAL, PIPELINED }

    /** An RMS relative-error change below this means the bench does not constrain a parameter. */
    public static final double INSENSITIVE_RMS = 0.005;
    private static final double MIN_SECONDS = 1e-10;

    private Calibrator() {
    }

    /** Fits with the prior guessed from the bench's device name. */
    public static Calibration fit(List<BenchRow> rows, Mode mode, String sourceLabel) {
        return fit(rows, DeviceCatalog.priorFor(singleDevice(rows)), mode, sourceLabel);
    }

    public static Calibration fit(List<BenchRow> rows, Device prior, Mode mode, String sourceLabel) {
        String deviceName = singleDevice(rows);
        List<String> notes = new ArrayList<>();
        double bw = medianCopyBandwidth(rows);
        Device base = prior.withName(deviceName);
        if (bw > 0) base = base.withCopyBandwidth(bw);
        else notes.add("no measured copy bandwidth in the bench; using the prior's " + gb(prior.bandwidth()) + " GB/s");
        notes.addAll(weightNotes(rows));

        Problem p = new Problem(rows, base);
        Fit serial = mode == Mode.PIPELINED ? null : fitSerial(p, prior);
        Fit pipelined = mode == Mode.SERIAL ? null : fitPipelined(p, prior, serial);
        Fit chosen;
        if (serial == null) chosen = pipelined;
        else if (pipelined == null) chosen = serial;
        else {
            chosen = pipelined.rms < 0.8 * serial.rms ? pipelined : serial;
            notes.add(String.format(Locale.ROOT, "launch model: %s (RMS log error serial %.1f%%, pipelined %.1f%%)",
                    chosen.device.launch().label(), 100 * serial.rms, 100 * pipelined.rms));
        }
        notes.addAll(chosen.notes);
        Device fitted = chosen.device.withSource(String.format(Locale.ROOT,
                "ssd simulate calibrate: %d rows from %s, prior %s; compute peaks x%.3g of prior, launch %s",
                rows.size(), sourceLabel, prior.name(), chosen.scale, chosen.device.launch().label()));
        return new Calibration(fitted, Residuals.of(rows, fitted), notes);
    }

    private record Fit(Device device, double scale, double rms, List<String> notes) {
    }

    /** Rows with their workloads, and the objective for a candidate device. */
    private static final class Problem {
        final Device base;
        final List<BenchRow> rows;
        final List<Workload> workloads = new ArrayList<>();

        Problem(List<BenchRow> rows, Device base) {
            this.rows = rows;
            this.base = base;
            ForwardImpl impl = ForwardImpl.forDevice(base.name());
            for (BenchRow r : rows) workloads.add(impl.forward(r.shape(), r.dtype(), r.prefixLen(), r.newTokens()));
        }

        double meanSquaredLogError(Device d) {
            double s = 0;
            for (int i = 0; i < rows.size(); i++) {
                double pred = TimeModel.time(d, workloads.get(i), rows.get(i).dtype()).seconds();
                double e = Math.log(pred / rows.get(i).seconds());
                s += e * e;
            }
            return s / rows.size();
        }

        /** A per-kernel fixed cost that explains the smallest forwards, as a starting point. */
        double typicalPerKernelSeconds() {
            double best = Double.MAX_VALUE;
            for (int i = 0; i < rows.size(); i++) best = Math.min(best, rows.get(i).seconds() / workloads.get(i).kernelCount());
            return best;
        }
    }

    private static Fit fitSerial(Problem p, Device prior) {
        double sum = prior.kernelLatency() + prior.hostOverheadPerOp();
        double latencyShare = sum > 0 ? prior.kernelLatency() / sum : (prior.kind() == Device.Kind.CPU ? 0 : 0.5);
        Device serialBase = p.base.withLaunch(Launch.SERIAL);
        Decoder dec = x -> {
            double c = clampSeconds(Math.exp(x[1]));
            return serialBase.withComputeScale(clampScale(Math.exp(x[0]))).withOverheads(c * latencyShare, c * (1 - latencyShare));
        };
        double c0 = p.typicalPerKernelSeconds();
        double[] best = bestOf(p, dec, new double[][]{
                {0, Math.log(c0 * 0.5)}, {Math.log(0.1), Math.log(c0 * 0.5)}, {Math.log(0.01), Math.log(c0 * 0.1)},
                {Math.log(0.3), Math.log(c0 * 0.9)}});
        List<String> notes = new ArrayList<>();
        if (insensitive(p, dec, best, 0)) {
            best = refit(p, dec, best, 0, 0.0);
            notes.add("no bench row is compute-bound enough to fit the compute peak; kept the prior's peaks");
        }
        notes.add(0, String.format(Locale.ROOT, "serial model: kernel latency and host overhead act only as their sum "
                + "(%.3g us per kernel); split %.0f%%/%.0f%% as in the prior", clampSeconds(Math.exp(best[1])) * 1e6,
                100 * latencyShare, 100 * (1 - latencyShare)));
        Device d = dec.device(best);
        return new Fit(d, clampScale(Math.exp(best[0])), Math.sqrt(p.meanSquaredLogError(d)), notes);
    }

    private static Fit fitPipelined(Problem p, Device prior, Fit serial) {
        Device pipeBase = p.base.withLaunch(Launch.PIPELINED);
        Decoder dec = x -> pipeBase.withComputeScale(clampScale(Math.exp(x[0])))
                .withOverheads(clampSeconds(Math.exp(x[1])), clampSeconds(Math.exp(x[2])));
        double c = serial != null ? serial.device.kernelLatency() + serial.device.hostOverheadPerOp() : p.typicalPerKernelSeconds();
        double s0 = serial != null ? Math.log(serial.scale) : 0;
        double[] best = bestOf(p, dec, new double[][]{
                {s0, Math.log(c * 0.3), Math.log(c * 0.7)}, {s0, Math.log(c), Math.log(c * 0.1)},
                {s0, Math.log(c * 0.05), Math.log(c)}, {Math.log(0.1), Math.log(c * 0.5), Math.log(c * 0.5)},
                {Math.log(0.01), Math.log(c * 0.2), Math.log(c)}});
        List<String> notes = new ArrayList<>();
        String[] names = {"compute peak", "kernel latency", "host overhead"};
        double[] priorValues = {0.0, Math.log(Math.max(prior.kernelLatency(), MIN_SECONDS)),
                Math.log(Math.max(prior.hostOverheadPerOp(), MIN_SECONDS))};
        for (int i = 0; i < 3; i++) {
            if (insensitive(p, dec, best, i)) {
                best = refit(p, dec, best, i, priorValues[i]);
                notes.add("pipelined model: the bench does not constrain the " + names[i] + "; kept the prior's value");
            }
        }
        Device d = dec.device(best);
        return new Fit(d, clampScale(Math.exp(best[0])), Math.sqrt(p.meanSquaredLogError(d)), notes);
    }

    @FunctionalInterface
    private interface Decoder {
        Device device(double[] x);
    }

    private static double[] bestOf(Problem p, Decoder dec, double[][] starts) {
        double[] best = null;
        double bestValue = Double.MAX_VALUE;
        for (double[] start : starts) {
            double[] x = NelderMead.minimize(v -> p.meanSquaredLogError(dec.device(v)), start, 1.0, 600, 1e-10);
            x = NelderMead.minimize(v -> p.meanSquaredLogError(dec.device(v)), x, 0.1, 400, 1e-12);
            double value = p.meanSquaredLogError(dec.device(x));
            if (value < bestValue) {
                bestValue = value;
                best = x;
            }
        }
        return best;
    }

    /** Whether doubling and halving parameter i (log-space coordinate) both leave the RMS error nearly unchanged. */
    private static boolean insensitive(Problem p, Decoder dec, double[] x, int i) {
        double rms = Math.sqrt(p.meanSquaredLogError(dec.device(x)));
        for (double delta : new double[]{Math.log(2), -Math.log(2)}) {
            double[] y = x.clone();
            y[i] += delta;
            if (Math.sqrt(p.meanSquaredLogError(dec.device(y))) - rms >= INSENSITIVE_RMS) return false;
        }
        return true;
    }

    /** Pins coordinate i to a value and re-optimizes the others. */
    private static double[] refit(Problem p, Decoder dec, double[] x, int i, double pinned) {
        int n = x.length;
        double[] free = new double[n - 1];
        for (int j = 0, k = 0; j < n; j++) if (j != i) free[k++] = x[j];
        java.util.function.Function<double[], double[]> full = f -> {
            double[] y = new double[n];
            for (int j = 0, k = 0; j < n; j++) y[j] = j == i ? pinned : f[k++];
            return y;
        };
        double[] f = NelderMead.minimize(v -> p.meanSquaredLogError(dec.device(full.apply(v))), free, 0.5, 600, 1e-12);
        return full.apply(f);
    }

    private static double clampScale(double s) {
        return Math.min(100, Math.max(1e-4, s));
    }

    private static double clampSeconds(double s) {
        return Math.min(1, Math.max(MIN_SECONDS, s));
    }

    private static String singleDevice(List<BenchRow> rows) {
        if (rows.isEmpty()) throw new IllegalArgumentException("bench has no rows");
        Set<String> names = new LinkedHashSet<>();
        for (BenchRow r : rows) names.add(r.device());
        if (names.size() > 1) {
            throw new IllegalArgumentException("bench has rows from several devices (" + String.join("; ", names)
                    + "): calibrate one machine at a time");
        }
        return names.iterator().next();
    }

    private static double medianCopyBandwidth(List<BenchRow> rows) {
        double[] v = rows.stream().mapToDouble(BenchRow::copyBandwidth).filter(b -> b > 0).toArray();
        return v.length == 0 ? 0 : Medians.of(v);
    }

    /**
     * Warns when a row's weight_bytes is more than 2% away from the weight bytes the cost model has a forward read
     * (all parameters, the tied LM head once, only the gathered embedding rows). A mismatch usually means an untied
     * LM head, fp32 master weights, or a different shape than the row says.
     */
    private static List<String> weightNotes(List<BenchRow> rows) {
        Map<String, String> notes = new LinkedHashMap<>();
        for (BenchRow r : rows) {
            ModelShape s = r.shape();
            long expected = ForwardCostModel.forward(s, r.dtype(), r.prefixLen(), r.newTokens()).weightBytes();
            if (r.weightBytes() > 0 && Math.abs(r.weightBytes() - expected) > 0.02 * expected) {
                String key = s + "/" + r.dtype();
                notes.putIfAbsent(key, String.format(Locale.ROOT,
                        "weight_bytes %d for %dx%d %s differs from the %d a forward reads in the cost model by %+.0f%%",
                        r.weightBytes(), s.nLayer(), s.nEmbd(), r.dtype(), expected, 100.0 * (r.weightBytes() - expected) / expected));
            }
        }
        return new ArrayList<>(notes.values());
    }

    private static String gb(double bytesPerSecond) {
        return String.format(Locale.ROOT, "%.1f", bytesPerSecond / 1e9);
    }
}

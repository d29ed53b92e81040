package ssd.roofline.calibrate;

import java.util.Arrays;
import java.util.Comparator;
import java.util.function.ToDoubleFunction;

/** Derivative-free minimizer for the handful of calibration parameters (standard Nelder-Mead coefficients). */
final class NelderMead {
    private NelderMead() {
    }

    static double[] minimize(ToDoubleFunction<double[]> f, double[] x0, double step, int maxEvaluations, double tolerance) {
        int n = x0.length;
        double[][] simplex = new double[n + 1][];
        double[] values = new double[n + 1];
        simplex[0] = x0.clone();
        for (int i = 0; i < n; i++) {
            simplex[i + 1] = x0.clone();
            simplex[i + 1][i] += step;
        }
        for (int i = 0; i <= n; i++) values[i] = f.applyAsDouble(simplex[i]);
        int evals = n + 1;
        Integer[] order = new Integer[n + 1];
        while (evals < maxEvaluations) {
            for (int i = 0; i <= n; i++) order[i] = i;
            final double[] vals = values;
            Arrays.sort(order, Comparator.comparingDouble(i -> vals[i]));
            double[][] s = new double[n + 1][];
            double[] v = new double[n + 1];
            for (int i = 0; i <= n; i++) {
                s[i] = simplex[order[i]];
                v[i] = values[order[i]];
            }
            simplex = s;
            values = v;
            if (Math.abs(values[n] - values[0]) <= tolerance * (Math.abs(values[0]) + 1e-12) && spread(simplex) < 1e-6) break;

            double[] centroid = new double[n];
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) centroid[j] += simplex[i][j] / n;
            double[] reflected = lerp(centroid, simplex[n], -1);
            double fr = f.applyAsDouble(reflected);
            evals++;
            if (fr < values[0]) {
                double[] expanded = lerp(centroid, simplex[n], -2);
                double fe = f.applyAsDouble(expanded);
                evals++;
                if (fe < fr) {
                    simplex[n] = expanded;
                    values[n] = fe;
                } else {
                    simplex[n] = reflected;
                    values[n] = fr;
                }
            } else if (fr < values[n - 1]) {
                simplex[n] = reflected;
                values[n] = fr;
            } else {
                double[] contracted = fr < values[n] ? lerp(centroid, reflected, 0.5) : lerp(centroid, simplex[n], 0.5);
                double fc = f.applyAsDouble(contracted);
                evals++;
                if (fc < Math.min(fr, values[n])) {
                    simplex[n] = contracted;
                    values[n] = fc;
                } else {
                    for (int i = 1; i <= n; i++) {
                        simplex[i] = lerp(simplex[0], simplex[i], 0.5);
                        values[i] = f.applyAsDouble(simplex[i]);
                    }
                    evals += n;
                }
            }
        }
        int best = 0;
        for (int i = 1; i <= n; i++) if (values[i] < values[best]) best = i;
        return simplex[best];
    }

    /** a + t (b - a). */
    private static double[] lerp(double[] a, double[] b, double t) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i] + t * (b[i] - a[i]);
        return out;
    }

    private static double spread(double[][] simplex) {
        double max = 0;
        for (int i = 1; i < simplex.length; i++) {
            for (int j = 0; j < simplex[0].length; j++) max = Math.max(max, Math.abs(simplex[i][j] - simplex[0][j]));
        }
        return max;
    }
}

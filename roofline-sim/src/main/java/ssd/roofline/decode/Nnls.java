package ssd.roofline.decode;

import java.util.Arrays;

/**
 * Non-negative least squares, min ||A x - b|| subject to x >= 0, by Lawson and Hanson's active-set method (for the
 * handful of host-cost parameters; the normal equations of each passive set are solved directly).
 */
final class Nnls {
    private Nnls() {
    }

    static double[] solve(double[][] a, double[] b) {
        int m = a.length, n = a[0].length;
        if (b.length != m) throw new IllegalArgumentException("A has " + m + " rows but b has " + b.length);
        double[] x = new double[n];
        boolean[] passive = new boolean[n];
        double tol = 1e-12 * Math.max(1, norm(b));
        for (int iter = 0; iter < 10 * n + 10; iter++) {
            double[] w = gradient(a, b, x);
            int best = -1;
            for (int j = 0; j < n; j++) if (!passive[j] && w[j] > tol && (best < 0 || w[j] > w[best])) best = j;
            if (best < 0) break;
            passive[best] = true;
            while (true) {
                double[] z = leastSquaresOn(a, b, passive);
                boolean feasible = true;
                for (int j = 0; j < n; j++) if (passive[j] && z[j] <= 0) feasible = false;
                if (feasible) {
                    x = z;
                    break;
                }
                double alpha = Double.MAX_VALUE;
                for (int j = 0; j < n; j++) if (passive[j] && z[j] <= 0) alpha = Math.min(alpha, x[j] / (x[j] - z[j]));
                for (int j = 0; j < n; j++) {
                    x[j] += alpha * (z[j] - x[j]);
                    if (passive[j] && x[j] <= 1e-15) {
                        passive[j] = false;
                        x[j] = 0;
                    }
                }
            }
        }
        return x;
    }

    /** A^T (b - A x). */
    private static double[] gradient(double[][] a, double[] b, double[] x) {
        int n = x.length;
        double[] w = new double[n];
        for (int i = 0; i < a.length; i++) {
            double r = b[i];
            for (int j = 0; j < n; j++) r -= a[i][j] * x[j];
            for (int j = 0; j < n; j++) w[j] += a[i][j] * r;
        }
        return w;
    }

    /** Unconstrained least squares over the passive columns (the others 0), by the normal equations. */
    private static double[] leastSquaresOn(double[][] a, double[] b, boolean[] passive) {
        int n = passive.length;
        int[] cols = java.util.stream.IntStream.range(0, n).filter(j -> passive[j]).toArray();
        int k = cols.length;
        double[][] g = new double[k][k + 1];
        for (double[] row : a) {
            for (int p = 0; p < k; p++) {
                for (int q = 0; q < k; q++) g[p][q] += row[cols[p]] * row[cols[q]];
            }
        }
        for (int i = 0; i < a.length; i++) for (int p = 0; p < k; p++) g[p][k] += a[i][cols[p]] * b[i];
        double[] sol = gauss(g);
        double[] z = new double[n];
        for (int p = 0; p < k; p++) z[cols[p]] = sol[p];
        return z;
    }

    /** Solves an augmented k x (k+1) system with partial pivoting; a singular column gets 0. */
    private static double[] gauss(double[][] g) {
        int k = g.length;
        double[][] m = new double[k][];
        for (int i = 0; i < k; i++) m[i] = Arrays.copyOf(g[i], k + 1);
        double scale = 0;
        for (int i = 0; i < k; i++) scale = Math.max(scale, Math.abs(m[i][i]));
        for (int c = 0; c < k; c++) {
            int piv = c;
            for (int r = c + 1; r < k; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r;
            double[] t = m[c];
            m[c] = m[piv];
            m[piv] = t;
            if (Math.abs(m[c][c]) <= 1e-14 * scale) continue;
            for (int r = 0; r < k; r++) {
                if (r == c) continue;
                double f = m[r][c] / m[c][c];
                for (int q = c; q <= k; q++) m[r][q] -= f * m[c][q];
            }
        }
        double[] x = new double[k];
        for (int i = 0; i < k; i++) x[i] = Math.abs(m[i][i]) <= 1e-14 * scale ? 0 : m[i][k] / m[i][i];
        return x;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) s += x * x;
        return Math.sqrt(s);
    }
}

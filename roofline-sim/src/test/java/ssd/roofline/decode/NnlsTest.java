package ssd.roofline.decode;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class NnlsTest {
    @Test
    void recoversAnExactNonNegativeSolution() {
        double[][] a = {{1, 0, 2}, {0, 1, 1}, {1, 1, 0}, {2, 0, 1}};
        double[] x = {0.5, 2.0, 1.5};
        double[] b = new double[a.length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < 3; j++) b[i] += a[i][j] * x[j];
        double[] got = Nnls.solve(a, b);
        for (int j = 0; j < 3; j++) assertThat(got[j]).isCloseTo(x[j], within(1e-9));
    }

    @Test
    void clampsAtZeroWhereUnconstrainedLeastSquaresGoesNegative() {
        // Unconstrained solution is (2, -1); the best non-negative one puts x1 = 0 and fits x0 alone.
        double[][] a = {{1, 0}, {0, 1}, {1, 1}};
        double[] b = {2, -1, 1};
        double[] got = Nnls.solve(a, b);
        assertThat(got[1]).isEqualTo(0.0);
        assertThat(got[0]).isCloseTo(1.5, within(1e-9)); // min (x0-2)^2 + (x0-1)^2
    }
}

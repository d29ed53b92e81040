package ssd.training;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import ssd.decoder.torch.Torch;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/** The distillation objective and its gradient against a direct double-precision computation of the formula. */
class DistillationLossTest {
    static final int B = 2, T = 3, N = B * T, VOCAB = 7, PAD = 2, WIDTH = VOCAB + PAD;

    @ParameterizedTest(name = "alpha {0}, T {1}")
    @CsvSource({"0.7, 1.0", "0.6, 2.0", "1.0, 1.5", "0.0, 1.0", "1.0, 1.0", "0.25, 0.5"})
    void matchesTheFormulaAndItsGradient(double alpha, double temperature) {
        SplittableRandom rng = new SplittableRandom(11);
        float[] student = new float[N * WIDTH], teacher = new float[N * WIDTH];
        for (int i = 0; i < student.length; i++) {
            student[i] = (float) (3 * rng.nextGaussian());
            teacher[i] = (float) (3 * rng.nextGaussian());
        }
        long[] next = new long[N];
        for (int i = 0; i < N; i++) next[i] = rng.nextInt(VOCAB);
        DistillSettings s = new DistillSettings(alpha, temperature, 1000, 1);

        double expected = 0;
        double[][] expectedGrad = new double[N][WIDTH];
        for (int i = 0; i < N; i++) {
            double[] zs = row(student, i), zt = row(teacher, i);
            double[] ps = softmax(zs, 1), psT = softmax(zs, temperature), ptT = softmax(zt, temperature);
            double kl = 0;
            for (int v = 0; v < VOCAB; v++) kl += ptT[v] * (Math.log(ptT[v]) - Math.log(psT[v]));
            double ce = -Math.log(ps[(int) next[i]]);
            expected += ((1 - alpha) * ce + alpha * temperature * temperature * kl) / N;
            for (int v = 0; v < VOCAB; v++) {
                // d/dz of (1 - a) CE is (1 - a)(p - onehot); of a T^2 KL(pt || softmax(z / T)) it is a T (psT - ptT).
                expectedGrad[i][v] = ((1 - alpha) * (ps[v] - (v == next[i] ? 1 : 0)) + alpha * temperature * (psT[v] - ptT[v])) / N;
            }
        }

        try (PointerScope scope = new PointerScope()) {
            Device cpu = new Device("cpu");
            Tensor zs = floats(student).view(B, T, WIDTH).requires_grad_(true);
            Tensor zt = floats(teacher).view(B, T, WIDTH);
            Tensor ids = Torch.longs(next, cpu);
            Tensor loss;
            try (DistillationLoss.TeacherTargets targets = DistillationLoss.teacher(zt, ids, VOCAB, s)) {
                loss = DistillationLoss.loss(zs, targets, ids, VOCAB, s);
            }
            assertThat(loss.item_double()).isCloseTo(expected, offset(1e-5));
            loss.backward();
            float[] grad = Torch.toFloats(zs.grad());
            for (int i = 0; i < N; i++) {
                for (int v = 0; v < WIDTH; v++) {
                    double want = v < VOCAB ? expectedGrad[i][v] : 0; // padding columns take no part
                    assertThat((double) grad[i * WIDTH + v]).as("grad row %d column %d", i, v).isCloseTo(want, offset(1e-6));
                }
            }
            // The caller's logits are left as they were (the fp32 path reads them without a copy).
            assertThat(Torch.toFloats(zt)).containsExactly(teacher);
            loss.close();
        }
    }

    @ParameterizedTest(name = "T {0}")
    @CsvSource({"1.0", "3.0"})
    void isZeroKlWhenTheDraftIsTheOracle(double temperature) {
        // alpha = 1: the objective is T^2 KL(p || p) = 0 exactly when the two logits agree.
        SplittableRandom rng = new SplittableRandom(5);
        float[] logits = new float[N * VOCAB];
        for (int i = 0; i < logits.length; i++) logits[i] = (float) rng.nextGaussian();
        long[] next = new long[N];
        try (PointerScope scope = new PointerScope()) {
            Device cpu = new Device("cpu");
            Tensor z = floats(logits).view(N, VOCAB);
            DistillSettings s = new DistillSettings(1.0, temperature, 1, 1);
            try (DistillationLoss.TeacherTargets t = DistillationLoss.teacher(z, Torch.longs(next, cpu), VOCAB, s);
                 Tensor loss = DistillationLoss.loss(z, t, Torch.longs(next, cpu), VOCAB, s)) {
                assertThat(loss.item_double()).isCloseTo(0, offset(1e-6));
            }
        }
    }

    /** A CPU float tensor that owns a copy of {@code values}. */
    static Tensor floats(float[] values) {
        try (org.bytedeco.javacpp.FloatPointer p = new org.bytedeco.javacpp.FloatPointer(values);
             org.bytedeco.pytorch.TensorOptions opts = new org.bytedeco.pytorch.TensorOptions(org.bytedeco.pytorch.global.torch.ScalarType.Float);
             Tensor view = org.bytedeco.pytorch.global.torch.from_blob(p, new long[]{values.length}, opts)) {
            return view.clone();
        }
    }

    private static double[] row(float[] logits, int i) {
        double[] r = new double[VOCAB];
        for (int v = 0; v < VOCAB; v++) r[v] = logits[i * WIDTH + v];
        return r;
    }

    private static double[] softmax(double[] z, double temperature) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (double x : z) max = Math.max(max, x / temperature);
        double[] p = new double[z.length];
        for (int v = 0; v < z.length; v++) sum += p[v] = Math.exp(z[v] / temperature - max);
        for (int v = 0; v < z.length; v++) p[v] /= sum;
        return p;
    }
}

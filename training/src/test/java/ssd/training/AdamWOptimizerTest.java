package ssd.training;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import ssd.decoder.torch.Torch;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AdamWOptimizerTest {
    private static Tensor param(float[] values, long... shape) {
        Tensor t = torch.tensor(values).view(shape).clone();
        t.requires_grad_(true);
        return t;
    }

    private static void setGrad(Tensor p, float[] g) {
        try (PointerScope s = new PointerScope()) {
            // sum(p * g) has gradient g with respect to p.
            torch.tensor(g).view(Tensors.shape(p)).mul(p).sum().backward();
        }
    }

    @Test
    void weightDecayShrinksMatricesOnly() {
        try (PointerScope scope = new PointerScope()) {
            Tensor matrix = param(new float[]{1, 2, 3, 4}, 2, 2);
            Tensor bias = param(new float[]{1, 2}, 2);
            AdamWOptimizer opt = AdamWOptimizer.create(List.of(matrix, bias), new AdamWSettings(0.9, 0.95, 1e-8, 0.1));
            setGrad(matrix, new float[4]); // zero gradients: the Adam part moves nothing, only decay acts
            setGrad(bias, new float[2]);
            opt.step(0.5);
            assertThat(Torch.toFloats(matrix)).containsExactly(new float[]{0.95f, 1.9f, 2.85f, 3.8f}, org.assertj.core.data.Offset.offset(1e-6f));
            assertThat(Torch.toFloats(bias)).containsExactly(1f, 2f);
            assertThat(AdamWOptimizer.decays(matrix)).isTrue();
            assertThat(AdamWOptimizer.decays(bias)).isFalse();
        }
    }

    @Test
    void matchesTheAdamWFormulaOverSeveralSteps() {
        double b1 = 0.9, b2 = 0.95, eps = 1e-8, wd = 0.1, lr = 0.01;
        double[] grads = {0.5, -1.0, 2.0};
        try (PointerScope scope = new PointerScope()) {
            Tensor w = param(new float[]{1.5f}, 1, 1);
            AdamWOptimizer opt = AdamWOptimizer.create(List.of(w), new AdamWSettings(b1, b2, eps, wd));
            double p = 1.5, m = 0, v = 0;
            for (int t = 1; t <= grads.length; t++) {
                opt.zeroGrad();
                setGrad(w, new float[]{(float) grads[t - 1]});
                opt.step(lr);
                double g = grads[t - 1];
                p *= 1 - lr * wd;
                m = b1 * m + (1 - b1) * g;
                v = b2 * v + (1 - b2) * g * g;
                double mHat = m / (1 - Math.pow(b1, t)), vHat = v / (1 - Math.pow(b2, t));
                p -= lr * mHat / (Math.sqrt(vHat) + eps);
                assertThat((double) Torch.toFloats(w)[0]).as("step %d", t).isCloseTo(p, within(1e-6));
            }
            assertThat(opt.steps()).isEqualTo(3);
        }
    }

    @Test
    void zeroGradClearsGradients() {
        try (PointerScope scope = new PointerScope()) {
            Tensor w = param(new float[]{1, 2}, 2);
            AdamWOptimizer opt = AdamWOptimizer.create(List.of(w), new AdamWSettings(0.9, 0.95, 1e-8, 0));
            setGrad(w, new float[]{3, 4});
            assertThat(Torch.toFloats(w.grad())).containsExactly(3f, 4f);
            opt.zeroGrad();
            assertThat(Torch.toFloats(w.grad())).containsExactly(0f, 0f);
        }
    }
}

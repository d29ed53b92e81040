package ssd.training;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import ssd.decoder.torch.Torch;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GradientClippingTest {
    private static Tensor withGrad(float[] grad) {
        Tensor p = torch.zeros(grad.length);
        p.requires_grad_(true);
        torch.tensor(grad).mul(p).sum().backward();
        return p;
    }

    private static double globalNorm(List<Tensor> ps) {
        double sq = 0;
        for (Tensor p : ps) for (float g : Torch.toFloats(p.grad())) sq += g * g;
        return Math.sqrt(sq);
    }

    @Test
    void capsTheGlobalNormAcrossAllParameters() {
        try (PointerScope scope = new PointerScope()) {
            // Norms 3 and 4 separately, 5 together: clipping must use the global norm, not each tensor's.
            List<Tensor> ps = List.of(withGrad(new float[]{3, 0}), withGrad(new float[]{0, 4}));
            double before = GradientClipping.clip(ps, 1.0);
            assertThat(before).isCloseTo(5.0, within(1e-5));
            assertThat(globalNorm(ps)).isCloseTo(1.0, within(1e-5));
            // Directions are kept: every gradient is scaled by the same factor.
            assertThat(Torch.toFloats(ps.get(0).grad())[0]).isCloseTo(0.6f, within(1e-5f));
            assertThat(Torch.toFloats(ps.get(1).grad())[1]).isCloseTo(0.8f, within(1e-5f));
        }
    }

    @Test
    void leavesSmallGradientsAlone() {
        try (PointerScope scope = new PointerScope()) {
            List<Tensor> ps = List.of(withGrad(new float[]{0.3f, 0.4f}));
            assertThat(GradientClipping.clip(ps, 1.0)).isCloseTo(0.5, within(1e-6));
            assertThat(Torch.toFloats(ps.get(0).grad())).containsExactly(0.3f, 0.4f);
        }
    }
}

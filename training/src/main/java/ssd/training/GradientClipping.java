package ssd.training;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import java.util.ArrayList;
import java.util.List;

/** Clipping of the global gradient norm (all parameters together), as {@code torch.nn.utils.clip_grad_norm_}. */
public final class GradientClipping {
    private GradientClipping() {
    }

    /**
     * Scales every gradient by min(1, maxNorm / (norm + 1e-6)) where norm is the L2 norm of all gradients together.
     *
     * @return the global norm before clipping
     */
    public static double clip(List<Tensor> params, double maxNorm) {
        try (PointerScope scope = new PointerScope()) {
            List<Tensor> withGrad = new ArrayList<>();
            for (Tensor p : params) if (p.grad().defined()) withGrad.add(p);
            if (withGrad.isEmpty()) return 0;
            return torch.clip_grad_norm_(new TensorVector(withGrad.toArray(new Tensor[0])), maxNorm);
        }
    }
}

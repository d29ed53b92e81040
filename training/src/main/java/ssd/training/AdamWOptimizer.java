package ssd.training;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * AdamW in explicit tensor ops, the same update as {@code torch.optim.AdamW} (single-tensor path, no amsgrad):
 * decoupled weight decay {@code p *= 1 - lr*wd} on matrices only (dim >= 2: embeddings and Linear weights; none on
 * biases and layer-norm gains), then the bias-corrected Adam step. Written out rather than using libtorch's AdamW so
 * that the whole optimiser state (two moment tensors per parameter and the step count) can be saved and restored
 * exactly, which makes {@code --resume} bit-identical.
 */
public final class AdamWOptimizer implements AutoCloseable {
    private final List<Tensor> params;
    private final List<Tensor> expAvg;
    private final List<Tensor> expAvgSq;
    private final boolean[] decays;
    private final AdamWSettings settings;
    private long steps;

    private AdamWOptimizer(List<Tensor> params, List<Tensor> expAvg, List<Tensor> expAvgSq, AdamWSettings settings, long steps) {
        if (params.size() != expAvg.size() || params.size() != expAvgSq.size()) {
            throw new IllegalArgumentException(params.size() + " parameters but " + expAvg.size() + "/" + expAvgSq.size() + " moment tensors");
        }
        this.params = List.copyOf(params);
        this.expAvg = List.copyOf(expAvg);
        this.expAvgSq = List.copyOf(expAvgSq);
        this.settings = settings;
        this.steps = steps;
        this.decays = new boolean[params.size()];
        for (int i = 0; i < decays.length; i++) decays[i] = decays(params.get(i));
    }

    /** A fresh optimiser with zero moments. */
    public static AdamWOptimizer create(List<Tensor> params, AdamWSettings settings) {
        List<Tensor> m = new ArrayList<>(), v = new ArrayList<>();
        for (Tensor p : params) {
            m.add(zerosLike(p));
            v.add(zerosLike(p));
        }
        return new AdamWOptimizer(params, m, v, settings, 0);
    }

    /** An optimiser continuing from saved moments (same order and shapes as {@code params}) after {@code steps} updates. */
    public static AdamWOptimizer restore(List<Tensor> params, List<Tensor> expAvg, List<Tensor> expAvgSq, AdamWSettings settings, long steps) {
        for (int i = 0; i < params.size(); i++) {
            long[] shape = Tensors.shape(params.get(i));
            if (!Arrays.equals(shape, Tensors.shape(expAvg.get(i))) || !Arrays.equals(shape, Tensors.shape(expAvgSq.get(i)))) {
                throw new IllegalArgumentException("optimizer state does not match parameter " + i + " of shape " + Arrays.toString(shape));
            }
        }
        return new AdamWOptimizer(params, expAvg, expAvgSq, settings, steps);
    }

    /** Weight decay applies to matrices (embeddings, Linear weights), never to biases or layer-norm parameters. */
    public static boolean decays(Tensor p) {
        return p.dim() >= 2;
    }

    private static Tensor zerosLike(Tensor p) {
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            Tensor z = p.detach().clone();
            z.zero_();
            z.retainReference();
            return z;
        }
    }

    /** One update with learning rate {@code lr}; parameters without a gradient are left alone (as torch does). */
    public void step(double lr) {
        steps++;
        double b1 = settings.beta1(), b2 = settings.beta2();
        double bias1 = 1 - Math.pow(b1, steps);
        double bias2Sqrt = Math.sqrt(1 - Math.pow(b2, steps));
        double stepSize = lr / bias1;
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            Scalar decayFactor = new Scalar(1 - lr * settings.weightDecay());
            Scalar oneMinusB1 = new Scalar(1 - b1), b2s = new Scalar(b2), oneMinusB2 = new Scalar(1 - b2);
            Scalar eps = new Scalar(settings.eps()), bias2 = new Scalar(bias2Sqrt), negStep = new Scalar(-stepSize);
            for (int i = 0; i < params.size(); i++) {
                Tensor p = params.get(i);
                Tensor grad = p.grad();
                if (!grad.defined()) continue;
                if (decays[i] && settings.weightDecay() != 0) p.mul_(decayFactor);
                Tensor m = expAvg.get(i), v = expAvgSq.get(i);
                m.lerp_(grad, oneMinusB1);
                v.mul_(b2s).addcmul_(grad, grad, oneMinusB2);
                Tensor denom = v.sqrt().div_(bias2).add_(eps);
                p.addcdiv_(m, denom, negStep);
            }
        }
    }

    /** Zeroes every gradient in place (keeps the buffers: no reallocation per step). */
    public void zeroGrad() {
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            for (Tensor p : params) {
                Tensor grad = p.grad();
                if (grad.defined()) grad.zero_();
            }
        }
    }

    public long steps() {
        return steps;
    }

    public List<Tensor> params() {
        return params;
    }

    public List<Tensor> expAvg() {
        return expAvg;
    }

    public List<Tensor> expAvgSq() {
        return expAvgSq;
    }

    public AdamWSettings settings() {
        return settings;
    }

    /** Frees the moment tensors (the parameters belong to the caller). */
    @Override
    public void close() {
        for (Tensor t : expAvg) t.close();
        for (Tensor t : expAvgSq) t.close();
    }
}

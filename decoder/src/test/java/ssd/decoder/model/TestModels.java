package ssd.decoder.model;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Small random GPT-2 models for CPU tests. */
public final class TestModels {
    private TestModels() {
    }

    public static final GPT2Config TINY = GPT2Config.of(97, 128, 64, 2, 4);

    /** The eager reference forward of {@code model} (CPU tests). */
    public static ssd.decoder.forward.Forward eager(GPT2Model model) {
        return ssd.decoder.forward.Forward.create(model, ssd.decoder.forward.ForwardPlan.eagerCpu());
    }

    /** {@code model}'s forward in {@code mode} on the CPU, ATen kernels (fused ones need CUDA). */
    public static ssd.decoder.forward.Forward forward(GPT2Model model, ssd.decoder.forward.ForwardMode mode) {
        return ssd.decoder.forward.Forward.create(model, ssd.decoder.forward.ForwardPlan.eagerCpu().withMode(mode));
    }

    /** fp32 on CPU. A larger init std than GPT-2's keeps logits far from uniform, so argmax ties are rare. */
    public static GPT2Model random(GPT2Config config, long seed, double std) {
        return new GPT2Model(GPT2Weights.random(config, seed, std, new Device("cpu"), torch.ScalarType.Float));
    }

    /** The oracle's weights plus N(0, sigma) noise: a draft whose agreement with the oracle falls as sigma grows. */
    public static GPT2Model noisyCopy(GPT2Model oracle, double sigma, long seed) {
        torch.manual_seed(seed);
        return new GPT2Model(oracle.weights().map(t -> {
            try (org.bytedeco.javacpp.PointerScope scope = new org.bytedeco.javacpp.PointerScope()) {
                Tensor noisy = sigma == 0 ? t.clone() : t.add(torch.randn_like(t).mul(new org.bytedeco.pytorch.Scalar(sigma)));
                noisy.retainReference();
                return noisy;
            }
        }));
    }

    /** Reference logits of the last position of a plain causal forward over {@code tokens}. */
    public static float[] referenceLastLogits(GPT2Model model, int[] tokens) {
        return ssd.decoder.decoding.GreedyDivergence.lastLogits(model, tokens);
    }

    public static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("lengths differ");
        float m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}

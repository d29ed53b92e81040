package ssd.training;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.model.GPT2Weights;
import ssd.decoder.torch.Torch;

/** Next-token cross-entropy of a GPT-2 on windows of seqLen + 1 ids, for training and for validation. */
public final class LanguageModelLoss {
    private LanguageModelLoss() {
    }

    /**
     * Mean cross-entropy over all B x seqLen predictions of {@code windows} ([B, seqLen + 1] ids on the model's device).
     * {@code model} runs on {@link ComputeMode#working} weights; logits go through {@link ComputeMode#lossLogits}
     * (padding masked; upcast to fp32 before the softmax when {@code fp32Softmax}, as for validation).
     */
    public static Tensor meanLoss(GPT2Model model, Tensor windows, ComputeMode mode, boolean fp32Softmax) {
        long b = windows.size(0), t = windows.size(1) - 1;
        Tensor inputs = windows.narrow(1, 0, t);
        Tensor targets = windows.narrow(1, 1, t).reshape(b * t);
        Tensor logits = mode.lossLogits(model.forwardFull(inputs), fp32Softmax);
        return torch.cross_entropy_loss(logits.view(b * t, mode.workingVocab()), targets);
    }

    /** [windows, width] ids as a Long tensor on {@code device}. */
    public static Tensor windows(long[] ids, int windows, int width, Device device) {
        return Torch.longs(ids, device).view(windows, width);
    }

    /** Mean validation loss of {@code working} ({@link ComputeMode#working} weights) over the whole set, in batches. */
    public static double evaluate(GPT2Weights working, ComputeMode mode, ValidationSet set, int batch) {
        GPT2Model model = new GPT2Model(working);
        int width = set.seqLen() + 1;
        double sum = 0;
        try (NoGradGuard g = new NoGradGuard()) {
            for (int start = 0; start < set.windows(); start += batch) {
                int n = Math.min(batch, set.windows() - start);
                long[] ids = java.util.Arrays.copyOfRange(set.ids(), start * width, (start + n) * width);
                try (PointerScope scope = new PointerScope()) {
                    Tensor loss = meanLoss(model, windows(ids, n, width, working.device()), mode, true);
                    sum += loss.item_double() * n;
                }
            }
        }
        return sum / set.windows();
    }
}

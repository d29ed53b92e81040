package ssd.decoder.decoding;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import ssd.common.Dtype;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.torch.Torch;

/**
 * Where a greedy run first leaves the baseline's tokens, and whether that is a numerical tie: the oracle's logits
 * for the two tokens there, recomputed in the baseline's context by the plain full-sequence forward, differ by no
 * more than {@link #tolerance}. Single-token, batched and tree forwards sum in different orders (and in fp16 or bf16
 * round their intermediate results differently), so two tokens that close can swap places in any exact method; a
 * larger gap means a decoding method is wrong.
 *
 * @param position   index of the first differing generated token
 * @param baselineToken the baseline's token there, or -1 if the baseline had stopped
 * @param token      the other run's token there, or -1 if it had stopped
 * @param logitGap   logit(baselineToken) - logit(token) in the baseline's context; NaN when one run had stopped
 *                   or the context is longer than the model's
 * @param tolerance  the largest |gap| rounding explains for the model's dtype at these logits
 */
public record GreedyDivergence(int position, int baselineToken, int token, float logitGap, float tolerance) {

    /** Ties in fp32: the bound the equivalence tests have always used. */
    public static final float F32_TIE = 1e-4f;
    /** Ties in fp16/bf16: this many units in the last place of the largest logit. */
    public static final int HALF_TIE_ULPS = 4;

    /** What a divergence says about the method that made it. */
    public enum Verdict {
        /** The two tokens' reference logits are within rounding: either could be the greedy token. */
        TIE,
        /**
         * The reference forward ranks the method's token above the baseline's by more than rounding: the baseline's
         * own forward path (another kernel, another summation order) left the reference here, not the method.
         */
        REFERENCE_PREFERS_METHOD,
        /** The method chose a token the reference ranks lower by more than rounding (or one run stopped early). */
        MISMATCH
    }

    public Verdict verdict() {
        if (Float.isNaN(logitGap)) return Verdict.MISMATCH;
        if (Math.abs(logitGap) <= tolerance) return Verdict.TIE;
        return logitGap < 0 ? Verdict.REFERENCE_PREFERS_METHOD : Verdict.MISMATCH;
    }

    /** The first divergence of {@code other} from {@code baseline} (both generated after {@code prompt}), or null if none. */
    public static GreedyDivergence find(GPT2Model oracle, int[] prompt, int[] baseline, int[] other) {
        int common = Math.min(baseline.length, other.length);
        int i = 0;
        while (i < common && baseline[i] == other[i]) i++;
        if (i == common) {
            if (baseline.length == other.length) return null;
            return new GreedyDivergence(i, i < baseline.length ? baseline[i] : -1, i < other.length ? other[i] : -1, Float.NaN, 0f);
        }
        int[] context = new int[prompt.length + i];
        System.arraycopy(prompt, 0, context, 0, prompt.length);
        System.arraycopy(baseline, 0, context, prompt.length, i);
        if (context.length > oracle.config().nPositions()) {
            return new GreedyDivergence(i, baseline[i], other[i], Float.NaN, 0f);
        }
        float[] logits = lastLogits(oracle, context);
        float largest = 0;
        for (float v : logits) largest = Math.max(largest, Math.abs(v));
        return new GreedyDivergence(i, baseline[i], other[i], logits[baseline[i]] - logits[other[i]],
                tieTolerance(oracle.dtype(), largest));
    }

    /** {@link #F32_TIE} in fp32; {@link #HALF_TIE_ULPS} ulps of {@code largestLogit} in the 16-bit formats. */
    public static float tieTolerance(Dtype dtype, float largestLogit) {
        int mantissaBits = switch (dtype) {
            case FP32 -> -1;
            case FP16 -> 10;
            case BF16 -> 7;
        };
        if (mantissaBits < 0) return F32_TIE;
        int exponent = Math.getExponent(Math.max(Math.abs(largestLogit), Float.MIN_NORMAL));
        return HALF_TIE_ULPS * (float) Math.scalb(1.0, exponent - mantissaBits);
    }

    /** Next-token logits after {@code tokens}, from the reference full-sequence forward, as floats. */
    public static float[] lastLogits(GPT2Model model, int[] tokens) {
        long[] ids = new long[tokens.length];
        for (int i = 0; i < ids.length; i++) ids[i] = tokens[i];
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            Tensor out = model.forwardFull(Torch.longs(ids, model.device()).view(1, ids.length));
            return Torch.toFloats(out.select(1, tokens.length - 1));
        }
    }
}

package ssd.training;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import ssd.common.Dtype;
import ssd.decoder.model.GPT2Weights;
import ssd.decoder.torch.Torch;

import java.util.Locale;

/**
 * The dtype the forward and backward run in: a training policy over {@link Dtype}, not a dtype itself ("auto" picks by
 * device, and fp16 is not offered). Master weights are always fp32; with BF16 each micro-batch works on a
 * bf16 copy made by {@code .to()}, which autograd differentiates, so gradients arrive in the fp32 masters' {@code .grad}
 * (pure-bf16 parameters do not train: updates fall below bf16 resolution).
 */
public enum ComputePrecision {
    FP32, BF16;

    /** "auto" (bf16 on CUDA, fp32 on CPU), "fp32" or "bf16". */
    public static ComputePrecision parse(String flag, Device device) {
        switch (flag == null ? "auto" : flag.toLowerCase(Locale.ROOT)) {
            case "auto": return device.is_cuda() ? BF16 : FP32;
            case "fp32": case "float32": return FP32;
            case "bf16": case "bfloat16": return BF16;
            default: throw new IllegalArgumentException("unknown compute dtype '" + flag + "': expected auto, fp32 or bf16");
        }
    }

    /** The weights the forward uses: the masters themselves (FP32) or a differentiable bf16 copy (BF16). */
    public GPT2Weights working(GPT2Weights masters) {
        if (this == FP32) return masters;
        return masters.map(t -> t.to(torch.ScalarType.BFloat16));
    }

    /** The element type the forward and backward compute in. */
    public Dtype dtype() {
        return this == FP32 ? Dtype.FP32 : Dtype.BF16;
    }

    public torch.ScalarType scalarType() {
        return Torch.scalarType(dtype());
    }

    public String flagName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Tensor floatLogits(Tensor logits) {
        return logits.scalar_type().intern() == torch.ScalarType.Float ? logits : logits.to(torch.ScalarType.Float);
    }
}

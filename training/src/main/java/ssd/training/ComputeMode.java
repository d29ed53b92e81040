package ssd.training;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Weights;

/**
 * How the forward runs on the device: the weights cast to the compute dtype and, on CUDA, the token embedding padded
 * to a multiple of 64 rows for the LM head.
 *
 * <p>Why the padding: with 50257 rows the LM-head matmuls have a leading dimension that is not 16-byte aligned, and
 * cuBLAS falls back to old non-Hopper kernels that took 30 of 70 ms of a GPT-2-small micro-batch on an H200
 * (nanoGPT pads to 50304 for the same reason). The padding rows are zero and their logits are masked to -inf before
 * the softmax, so the loss and its gradients are exactly those of the 50257-token model; the masters and the
 * checkpoints keep the real vocabulary.
 */
public final class ComputeMode implements AutoCloseable {
    /** Row multiple of the padded embedding on CUDA (CPU matmuls gain nothing from it). */
    static final int CUDA_VOCAB_MULTIPLE = 64;

    private final ComputePrecision precision;
    private final GPT2Config config;
    private final GPT2Config paddedConfig;
    private final Tensor padRows;
    private final Tensor logitMask;

    private ComputeMode(ComputePrecision precision, GPT2Config config, GPT2Config paddedConfig, Tensor padRows, Tensor logitMask) {
        this.precision = precision;
        this.config = config;
        this.paddedConfig = paddedConfig;
        this.padRows = padRows;
        this.logitMask = logitMask;
    }

    /** The mode for {@code config} on {@code device}: padded to a multiple of 64 on CUDA, unpadded on CPU. */
    public static ComputeMode of(GPT2Config config, ComputePrecision precision, Device device) {
        return of(config, precision, device, device.is_cuda() ? CUDA_VOCAB_MULTIPLE : 1);
    }

    static ComputeMode of(GPT2Config config, ComputePrecision precision, Device device, int multiple) {
        int v = config.vocabSize(), padded = (v + multiple - 1) / multiple * multiple;
        if (padded == v) return new ComputeMode(precision, config, config, null, null);
        GPT2Config pc = new GPT2Config(padded, config.nPositions(), config.nEmbd(), config.nLayer(), config.nHead(), config.nInner(),
                config.layerNormEpsilon(), config.activationFunction(), config.tieWordEmbeddings());
        torch.ScalarType dtype = precision.scalarType();
        try (PointerScope scope = new PointerScope()) {
            Tensor rows = torch.zeros(padded - v, config.nEmbd()).to(device, dtype);
            Tensor mask = torch.zeros(padded);
            mask.narrow(0, v, padded - v).fill_(new Scalar(Double.NEGATIVE_INFINITY));
            Tensor deviceMask = mask.to(device, dtype);
            rows.retainReference();
            deviceMask.retainReference();
            return new ComputeMode(precision, config, pc, rows, deviceMask);
        }
    }

    public ComputePrecision precision() {
        return precision;
    }

    /** Vocabulary rows of the working embedding (the real vocabulary when unpadded). */
    public int workingVocab() {
        return paddedConfig.vocabSize();
    }

    /**
     * The weights the forward uses, made from the fp32 masters by differentiable ops (cast, concatenation), so
     * gradients flow back into the masters. With FP32 and no padding these are the masters themselves.
     */
    public GPT2Weights working(GPT2Weights masters) {
        if (!masters.config().equals(config)) throw new IllegalArgumentException("weights of shape " + masters.config() + ", mode for " + config);
        GPT2Weights cast = precision.working(masters);
        if (padRows == null) return cast;
        Tensor wte = torch.cat(new TensorVector(cast.wte(), padRows), 0);
        return new GPT2Weights(paddedConfig, wte, cast.wpe(), cast.blocks(), cast.lnfWeight(), cast.lnfBias());
    }

    /**
     * Logits [.., workingVocab] ready for the softmax over the real vocabulary: padding masked to -inf, and upcast to
     * fp32 when {@code fp32} (evaluation). Training leaves bf16 logits as they are: log_softmax accumulates in fp32
     * either way, and skipping the fp32 copy of the [tokens x vocab] logits made GPT-2-small steps 16% faster and
     * the LM-head-bound mini models 45-95% faster on an H200; the reported validation loss is always fp32.
     */
    public Tensor lossLogits(Tensor logits, boolean fp32) {
        Tensor masked = logitMask == null ? logits : logits.add(logitMask);
        return fp32 ? ComputePrecision.floatLogits(masked) : masked;
    }

    @Override
    public void close() {
        if (padRows != null) padRows.close();
        if (logitMask != null) logitMask.close();
    }
}

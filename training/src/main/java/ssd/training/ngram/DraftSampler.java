package ssd.training.ngram;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.torch.Torch;

/**
 * Samples text from a model in large batches (B sequences advancing together on a batched K/V cache), as the paper
 * did to fit its n-gram on the draft's own output. Each sequence starts from {@code startToken} (end-of-text for a
 * GPT-2 vocabulary: a fresh document).
 *
 * <p>A draw is Gumbel-max: {@code argmax(logits / T + G)} with G = -log(E), E ~ Exp(1) i.i.d. per token, is an exact
 * sample of softmax(logits / T), computed as {@code argmax(logits - T log E)}: no softmax, no multinomial, a few
 * kernels over [B, vocab] ({@link GumbelNoise} says how log E is drawn on each device). Sampled ids stay on the device
 * until the batch is done: one read per batch, none per step. Deterministic in the seed on a given device.
 */
public final class DraftSampler implements AutoCloseable {
    private final GPT2Model model;
    private final int batch;
    private final int length;
    private final double temperature;
    private final int startToken;
    private final SamplingForward forward;
    private final GumbelNoise noise;

    public DraftSampler(GPT2Model model, int batch, int length, double temperature) {
        this(model, batch, length, temperature, GumbelNoise.forDevice(model.device()));
    }

    DraftSampler(GPT2Model model, int batch, int length, double temperature, GumbelNoise noise) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("--temperature must be > 0 for sampling, got " + temperature);
        }
        if (batch < 1) throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
        if (length < 2 || length > model.config().nPositions()) {
            throw new IllegalArgumentException("--length must be in [2, " + model.config().nPositions() + "], got " + length);
        }
        this.model = model;
        this.batch = batch;
        this.length = length;
        this.temperature = temperature;
        this.startToken = Math.min(50256, model.config().vocabSize() - 1);
        this.noise = noise;
        this.forward = new SamplingForward(model.weights(), batch, length - 1);
    }

    public int batch() {
        return batch;
    }

    public int length() {
        return length;
    }

    public double temperature() {
        return temperature;
    }

    public int vocabSize() {
        return model.config().vocabSize();
    }

    /** Sampled tokens per batch (the start token not counted). */
    public long tokensPerBatch() {
        return (long) batch * (length - 1);
    }

    /** Samples one batch: {@code batch} sequences of {@code length} ids, the start token first. Deterministic in {@code seed}. */
    public int[][] sampleBatch(long seed) {
        torch.manual_seed(seed);
        long[] tokens = SamplingForward.withoutCudnnAttention(model.device().is_cuda(), this::sampleOnDevice);
        int[][] sequences = new int[batch][length];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < length; i++) sequences[b][i] = (int) tokens[b * length + i];
        }
        return sequences;
    }

    private long[] sampleOnDevice() {
        try (PointerScope scope = new PointerScope()) {
            DeviceOptional device = new DeviceOptional(model.device());
            Tensor out = torch.full(new long[]{batch, length}, new Scalar(startToken), new TensorOptions(torch.ScalarType.Long).device(device));
            Tensor next = out.narrow(1, 0, 1).clone();
            Tensor logE = torch.empty(new long[]{batch, vocabSize()}, new TensorOptions(torch.ScalarType.Float).device(device),
                    new MemoryFormatOptional());
            Scalar t = new Scalar(temperature);
            GeneratorOptional defaultGenerator = new GeneratorOptional();
            LongOptional vocabDim = new LongOptional(1);
            for (int pos = 0; pos < length - 1; pos++) {
                try (PointerScope step = new PointerScope()) {
                    Tensor logits = forward.step(next, pos);
                    noise.fillLogExponential(logE, defaultGenerator);
                    // logits - T log E: fp32 by type promotion whatever the model dtype.
                    torch.argmax_out(next, logits.sub(logE, t), vocabDim, true);
                    out.narrow(1, pos + 1, 1).copy_(next);
                }
            }
            return Torch.toLongs(out);
        }
    }

    @Override
    public void close() {
        forward.close();
    }
}

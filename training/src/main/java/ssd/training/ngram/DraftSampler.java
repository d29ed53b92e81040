package ssd.training.ngram;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import ssd.decoder.model.BatchCache;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.model.Torch;

import java.util.function.Consumer;

/**
 * Samples text from a model in large batches (B sequences advancing together on a batched KV cache), as the paper
 * did to fit its n-gram on the draft's own output. Each sequence starts from {@code startToken} (end-of-text for a
 * GPT-2 vocabulary: a fresh document). Sampled ids stay on the device until a batch is done.
 */
public final class DraftSampler {
    private final GPT2Model model;
    private final int batch;
    private final int length;
    private final double temperature;
    private final int startToken;

    public DraftSampler(GPT2Model model, int batch, int length, double temperature) {
        if (temperature <= 0) throw new IllegalArgumentException("--temperature must be > 0 for sampling, got " + temperature);
        if (length < 2 || length > model.config().nPositions()) {
            throw new IllegalArgumentException("--length must be in [2, " + model.config().nPositions() + "], got " + length);
        }
        this.model = model;
        this.batch = batch;
        this.length = length;
        this.temperature = temperature;
        this.startToken = Math.min(50256, model.config().vocabSize() - 1);
    }

    public int batch() {
        return batch;
    }

    public int length() {
        return length;
    }

    public int vocabSize() {
        return model.config().vocabSize();
    }

    /** Sampled tokens per batch (the start token not counted). */
    public long tokensPerBatch() {
        return (long) batch * (length - 1);
    }

    /** Samples one batch and hands each sequence (start token first) to {@code sink}. Deterministic in {@code seed}. */
    public void sampleBatch(long seed, Consumer<int[]> sink) {
        torch.manual_seed(seed);
        long[] tokens;
        try (BatchCache cache = model.newBatchCache(batch, length); PointerScope scope = new PointerScope()) {
            Tensor out = torch.full(new long[]{batch, length}, new Scalar(startToken), new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Long))
                    .to(model.device(), torch.ScalarType.Long);
            Tensor next = out.narrow(1, 0, 1).clone();
            for (int t = 1; t < length; t++) {
                try (PointerScope step = new PointerScope()) {
                    Tensor logits = model.forwardBatch(cache, next);
                    Tensor probs = torch.softmax(logits.div(new Scalar(temperature)), 1, new org.bytedeco.pytorch.ScalarTypeOptional());
                    Tensor sampled = torch.multinomial(probs, 1, false, new GeneratorOptional());
                    out.narrow(1, t, 1).copy_(sampled);
                    next.copy_(sampled);
                    logits.close();
                }
            }
            tokens = Torch.toLongs(out);
        }
        for (int b = 0; b < batch; b++) {
            int[] seq = new int[length];
            for (int i = 0; i < length; i++) seq[i] = (int) tokens[b * length + i];
            sink.accept(seq);
        }
    }
}

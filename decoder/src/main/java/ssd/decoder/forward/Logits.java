package ssd.decoder.forward;

import org.bytedeco.pytorch.Tensor;
import ssd.decoder.torch.Torch;

/**
 * Next-token logits of one forward: one row per new token, float32, still on the model's device. Rows are copied
 * to the host only when asked for, so a greedy decoder moves n longs, not n * vocab floats.
 */
public final class Logits implements AutoCloseable {
    private final Tensor tensor;
    private final int rows;
    private final int vocabSize;
    private final ForwardStats stats;
    private long[] argmax;
    private float[] host;

    Logits(Tensor tensor, int rows, int vocabSize, ForwardStats stats) {
        this.tensor = tensor;
        this.rows = rows;
        this.vocabSize = vocabSize;
        this.stats = stats;
    }

    public int rows() {
        return rows;
    }

    public int vocabSize() {
        return vocabSize;
    }

    public ForwardStats stats() {
        return stats;
    }

    /** The [rows, vocab] float32 tensor (owned by this object). */
    public Tensor tensor() {
        return tensor;
    }

    /** Index of the largest logit of each row (the first one on exact ties, as torch.argmax). */
    public int argmax(int row) {
        if (argmax == null) {
            try (Tensor a = tensor.argmax(new org.bytedeco.pytorch.LongOptional(1), false)) {
                argmax = Torch.toLongs(a);
            }
        }
        return (int) argmax[row];
    }

    /** One row copied to the host. */
    public float[] row(int row) {
        if (host == null) host = Torch.toFloats(tensor);
        float[] out = new float[vocabSize];
        System.arraycopy(host, row * vocabSize, out, 0, vocabSize);
        return out;
    }

    @Override
    public void close() {
        tensor.close();
    }
}

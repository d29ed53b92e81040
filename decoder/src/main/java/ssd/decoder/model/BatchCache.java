package ssd.decoder.model;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import ssd.decoder.torch.Torch;

/**
 * A KV cache for B sequences that advance together (all the same length), for sampling many sequences at once.
 * No trees, no pending nodes: a causal prefill from empty, then one token per sequence per step.
 */
public final class BatchCache implements AutoCloseable {
    private final Tensor[] keys;
    private final Tensor[] values;
    private final int batch;
    private final int capacity;
    private int length;

    BatchCache(GPT2Config config, int batch, int capacity, Device device, torch.ScalarType dtype) {
        if (batch < 1) throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        if (capacity < 1 || capacity > config.nPositions()) {
            throw new IllegalArgumentException("batch cache capacity " + capacity + " must be in [1, " + config.nPositions() + "]");
        }
        this.batch = batch;
        this.capacity = capacity;
        keys = new Tensor[config.nLayer()];
        values = new Tensor[config.nLayer()];
        long[] shape = {batch, config.nHead(), capacity, config.headDim()};
        for (int l = 0; l < config.nLayer(); l++) {
            keys[l] = Torch.zeros(shape, device, dtype);
            values[l] = Torch.zeros(shape, device, dtype); // a separate allocation: to() of a same-typed tensor aliases it
        }
    }

    public int batch() {
        return batch;
    }

    public int length() {
        return length;
    }

    public int capacity() {
        return capacity;
    }

    Tensor keys(int layer) {
        return keys[layer];
    }

    Tensor values(int layer) {
        return values[layer];
    }

    void advance(int n) {
        length += n;
    }

    @Override
    public void close() {
        for (int l = 0; l < keys.length; l++) {
            keys[l].close();
            values[l].close();
        }
    }
}

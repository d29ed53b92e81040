package ssd.training;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/** Small tensor helpers the trainer needs and the decoder does not offer. */
final class Tensors {
    private Tensors() {
    }

    static long[] shape(Tensor t) {
        try (PointerScope scope = new PointerScope()) {
            return t.sizes().vec().get();
        }
    }
}

package ssd.training;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Weights;

import java.util.ArrayList;
import java.util.List;

/** Small tensor helpers the trainer needs and the decoder does not offer. */
final class Tensors {
    private Tensors() {
    }

    static long[] shape(Tensor t) {
        try (PointerScope scope = new PointerScope()) {
            return t.sizes().vec().get();
        }
    }

    /** Rebuilds a {@link GPT2Weights} from tensors in {@link GPT2Weights#parameters()} order. */
    static GPT2Weights weightsOf(GPT2Config config, List<Tensor> p) {
        int expected = 4 + 12 * config.nLayer();
        if (p.size() != expected) throw new IllegalArgumentException(p.size() + " tensors for a model with " + expected + " parameters");
        List<GPT2Weights.Block> blocks = new ArrayList<>();
        for (int l = 0; l < config.nLayer(); l++) {
            int o = 2 + 12 * l;
            blocks.add(new GPT2Weights.Block(p.get(o), p.get(o + 1), p.get(o + 2), p.get(o + 3), p.get(o + 4), p.get(o + 5),
                    p.get(o + 6), p.get(o + 7), p.get(o + 8), p.get(o + 9), p.get(o + 10), p.get(o + 11)));
        }
        return new GPT2Weights(config, p.get(0), p.get(1), List.copyOf(blocks), p.get(p.size() - 2), p.get(p.size() - 1));
    }
}

package ssd.harness.decode;

import picocli.CommandLine.Option;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.model.GPT2Weights;
import ssd.decoder.torch.Torch;

import java.nio.file.Path;

/** A checkpoint (--model DIR) or a random model of a given shape, for benchmarks that only need the shape. */
public final class ModelSource {
    @Option(names = "--model", description = "checkpoint directory; if absent, a random model of the shape below")
    Path model;

    @Option(names = "--layers", defaultValue = "12", description = "random model: layers (default: ${DEFAULT-VALUE})")
    int layers;

    @Option(names = "--embd", defaultValue = "768", description = "random model: width (default: ${DEFAULT-VALUE})")
    int embd;

    @Option(names = "--heads", defaultValue = "12", description = "random model: heads (default: ${DEFAULT-VALUE})")
    int heads;

    @Option(names = "--vocab", defaultValue = "50257", description = "random model: vocabulary (default: ${DEFAULT-VALUE})")
    int vocab;

    @Option(names = "--positions", defaultValue = "1024", description = "random model: context (default: ${DEFAULT-VALUE})")
    int positions;

    public GPT2Model open(RuntimeOptions runtime) {
        if (model != null) return GPT2Model.load(model, runtime.dtype(), runtime.device());
        GPT2Config c = GPT2Config.of(vocab, positions, embd, layers, heads);
        return new GPT2Model(GPT2Weights.random(c, 1234, 0.02, runtime.device(), Torch.scalarType(runtime.dtype())));
    }

    /** The checkpoint directory, or null for a random model. */
    public java.nio.file.Path modelPath() {
        return model;
    }

    public String describe() {
        return model != null ? model.toString() : "random " + layers + "x" + embd + " (" + heads + " heads, vocab " + vocab + ")";
    }
}

package ssd.training;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import ssd.decoder.model.GPT2Checkpoint;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.model.GPT2Weights;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A checkpoint loaded once for inference on whole windows (the oracle a draft is distilled from, the models an
 * agreement measurement compares): weights in the compute dtype (bf16 on CUDA), the LM head padded as in training
 * ({@link ComputeMode}), forwards without gradient.
 */
public final class FrozenModel implements AutoCloseable {
    private final Path dir;
    private final GPT2Weights loaded;
    private final ComputeMode mode;
    private final GPT2Model model;

    private FrozenModel(Path dir, GPT2Weights loaded, ComputeMode mode, GPT2Model model) {
        this.dir = dir;
        this.loaded = loaded;
        this.mode = mode;
        this.model = model;
    }

    /** Loads the checkpoint in {@code dir}; {@code flag} names the option that gave it, for the message when it is missing. */
    public static FrozenModel load(Path dir, String flag, Device device, ComputePrecision precision) {
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException(flag + " " + dir + ": checkpoint directory does not exist");
        GPT2Weights loaded = GPT2Checkpoint.load(dir, precision.dtype(), device);
        ComputeMode mode = ComputeMode.of(loaded.config(), precision, device);
        GPT2Weights working;
        try (PointerScope scope = new PointerScope()) {
            // Made once: the padded embedding is a copy, and the weights never change.
            working = mode.working(loaded);
            for (Tensor t : working.parameters()) t.retainReference();
        }
        return new FrozenModel(dir, loaded, mode, new GPT2Model(working));
    }

    public Path dir() {
        return dir;
    }

    public GPT2Config config() {
        return loaded.config();
    }

    /** Logits [batch, T, working vocab] in the compute dtype for inputs [batch, T]; padding columns are not masked. */
    public Tensor logits(Tensor inputs) {
        try (NoGradGuard g = new NoGradGuard()) {
            return model.forwardFull(inputs);
        }
    }

    /** Inference FLOPs per token on windows of {@code seqLen}: the forward third of the training estimate. */
    public double forwardFlopsPerToken(int seqLen) {
        return FlopsEstimate.of(loaded.config(), seqLen).flopsPerToken() / 3;
    }

    @Override
    public void close() {
        model.close(); // the working weights: the padded embedding, and handles of the loaded tensors
        loaded.close();
        mode.close();
    }
}

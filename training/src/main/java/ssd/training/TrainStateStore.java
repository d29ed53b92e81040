package ssd.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import ssd.common.Dtype;
import ssd.decoder.model.GPT2Checkpoint;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Weights;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Saves and restores train-state/: {@code master/} (fp32 weights), {@code exp_avg/} and {@code exp_avg_sq/} (AdamW
 * moments, stored as GPT-2 checkpoints of the same shape so the decoder's checkpoint code validates them) and
 * {@code state.json}. fp32 round-trips exactly, so a resumed run continues bit for bit.
 */
public final class TrainStateStore {
    /** Shard size of the state's safetensors (keeps every file and mapping well under 2 GiB). */
    static final long SHARD_BYTES = 1L << 30;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public record Restored(GPT2Weights masters, List<Tensor> expAvg, List<Tensor> expAvgSq, TrainState state) {
    }

    private TrainStateStore() {
    }

    public static void save(Path dir, GPT2Weights masters, AdamWOptimizer optimizer, TrainState state) {
        GPT2Config c = masters.config();
        StateDirs.write(dir, tmp -> {
            GPT2Checkpoint.save(tmp.resolve("master"), masters, Dtype.FP32, SHARD_BYTES);
            GPT2Checkpoint.save(tmp.resolve("exp_avg"), GPT2Weights.fromParameters(c, optimizer.expAvg()), Dtype.FP32, SHARD_BYTES);
            GPT2Checkpoint.save(tmp.resolve("exp_avg_sq"), GPT2Weights.fromParameters(c, optimizer.expAvgSq()), Dtype.FP32, SHARD_BYTES);
            Files.write(tmp.resolve("state.json"), JSON.writeValueAsBytes(state));
        });
    }

    public static TrainState readState(Path dir) {
        Path found = StateDirs.existing(dir);
        if (found == null) throw new IllegalArgumentException("--resume: no train-state in " + dir.getParent() + " (nothing to resume)");
        try {
            TrainState s = JSON.readValue(found.resolve("state.json").toFile(), TrainState.class);
            if (!TrainState.FORMAT.equals(s.format())) throw new IllegalArgumentException(found + "/state.json has format " + s.format() + ", expected " + TrainState.FORMAT);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + found.resolve("state.json") + ": " + e.getMessage(), e);
        }
    }

    /** Loads the state onto {@code device}; the masters come back as leaves that require grad. */
    public static Restored load(Path dir, Device device) {
        TrainState state = readState(dir);
        Path found = StateDirs.existing(dir);
        GPT2Weights masters = GPT2Checkpoint.load(found.resolve("master"), Dtype.FP32, device);
        for (Tensor p : masters.parameters()) p.requires_grad_(true);
        List<Tensor> m = GPT2Checkpoint.load(found.resolve("exp_avg"), Dtype.FP32, device).parameters();
        List<Tensor> v = GPT2Checkpoint.load(found.resolve("exp_avg_sq"), Dtype.FP32, device).parameters();
        return new Restored(masters, m, v, state);
    }
}

package ssd.harness.decode;

import org.bytedeco.pytorch.Device;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ssd.common.Dtype;
import ssd.decoder.model.GPT2Checkpoint;
import ssd.decoder.model.GPT2Weights;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ssd checkpoint convert}: rewrite a GPT-2 checkpoint in another dtype and/or shard size (validated on the way);
 * {@code ssd checkpoint random}: a GPT-2 checkpoint of any shape with random weights (for soak tests and benchmarks
 * of shapes no trained model has).
 */
@Command(name = "checkpoint", mixinStandardHelpOptions = true, description = "Checkpoint utilities.",
        subcommands = {CheckpointCommand.Convert.class, CheckpointCommand.Random.class})
public final class CheckpointCommand extends ssd.harness.CommandGroup {
    @Command(name = "convert", mixinStandardHelpOptions = true,
            description = "Load a checkpoint (any supported key style and dtype) and write it in Hugging Face save_pretrained form.")
    static final class Convert implements Callable<Integer> {
        @Option(names = "--in", required = true, description = "checkpoint directory to read")
        Path in;

        @Option(names = "--out", required = true, description = "directory to write (config.json + safetensors)")
        Path out;

        @Option(names = "--dtype", defaultValue = "bf16", description = "fp32, fp16 or bf16 (default: ${DEFAULT-VALUE})")
        String dtype;

        @Option(names = "--max-shard-mb", defaultValue = "0", description = "shard files above this size in MB (0: one file)")
        int maxShardMb;

        @Override
        public Integer call() throws Exception {
            if (in.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
                throw new IllegalArgumentException("--out must differ from --in (" + in + ")");
            }
            Dtype target = Dtype.parse(dtype);
            List<Path> files;
            try (GPT2Weights w = GPT2Checkpoint.load(in, Dtype.FP32, new Device("cpu"))) {
                files = GPT2Checkpoint.save(out, w, target, (long) maxShardMb * 1_000_000L);
            }
            for (Path f : files) System.out.printf(Locale.ROOT, "%s %,d bytes%n", f, Files.size(f));
            return 0;
        }
    }

    @Command(name = "random", mixinStandardHelpOptions = true,
            description = "Write a GPT-2 checkpoint of the given shape with random weights (GPT-2 initialisation, deterministic in --seed).")
    static final class Random implements Callable<Integer> {
        @Option(names = "--layers", required = true, description = "transformer blocks")
        int layers;

        @Option(names = "--embd", required = true, description = "model width")
        int embd;

        @Option(names = "--heads", required = true, description = "attention heads (must divide --embd)")
        int heads;

        @Option(names = "--vocab", defaultValue = "50257", description = "vocabulary size (default: ${DEFAULT-VALUE}, GPT-2's)")
        int vocab;

        @Option(names = "--positions", defaultValue = "1024", description = "context length (default: ${DEFAULT-VALUE})")
        int positions;

        @Option(names = "--seed", defaultValue = "0", description = "default: ${DEFAULT-VALUE}")
        long seed;

        @Option(names = "--std", defaultValue = "0.02", description = "initialisation standard deviation (default: ${DEFAULT-VALUE})")
        double std;

        @Option(names = "--dtype", defaultValue = "fp16", description = "fp32, fp16 or bf16 (default: ${DEFAULT-VALUE})")
        String dtype;

        @Option(names = "--out", required = true, description = "directory to write (config.json + model.safetensors)")
        Path out;

        @Override
        public Integer call() throws Exception {
            Dtype target = Dtype.parse(dtype);
            ssd.decoder.model.GPT2Config config;
            try {
                config = ssd.decoder.model.GPT2Config.of(vocab, positions, embd, layers, heads);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--layers/--embd/--heads/--vocab/--positions: " + e.getMessage(), e);
            }
            if (!(std > 0)) throw new IllegalArgumentException("--std must be > 0, got " + std);
            List<Path> files;
            try (GPT2Weights w = GPT2Weights.random(config, seed, std, new Device("cpu"), org.bytedeco.pytorch.global.torch.ScalarType.Float)) {
                files = GPT2Checkpoint.save(out, w, target, 0);
            }
            for (Path f : files) System.out.printf(Locale.ROOT, "%s %,d bytes%n", f, Files.size(f));
            return 0;
        }
    }
}

package ssd.harness.reliability;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ssd.common.Dtype;
import ssd.decoder.model.GPT2Checkpoint;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Weights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writing checkpoints and results when the disk fills: each command runs once normally, then again in a child JVM
 * whose files may not grow past a few KiB (ulimit -f: the write fails with "File too large", as a full disk fails with
 * "No space left on device"). The second run must end with exit status 1 and one line naming the file, and leave the
 * first run's complete files byte for byte, with no temporary file behind (an n-gram fit keeps its sample log, a
 * .partial file, so that --resume continues once there is room).
 */
class DiskFullTest {
    @TempDir
    Path dir;
    Path model;

    @BeforeEach
    void writeModel() throws Exception {
        model = dir.resolve("model");
        // Context 256: bench-decode's staged warm-up times the oracle's rounds after a 128-token prefix.
        try (GPT2Weights w = GPT2Weights.random(GPT2Config.of(50257, 256, 32, 1, 2), 1, 0.3, new Device("cpu"), torch.ScalarType.Float)) {
            GPT2Checkpoint.save(model, w, Dtype.FP32, 0);
        }
    }

    @Test
    void checkpointConvert() throws Exception {
        Path out = dir.resolve("converted");
        ChildSsd convert = ChildSsd.of(dir.resolve("log.txt"), "checkpoint", "convert", "--in", model.toString(), "--out", out.toString(),
                "--dtype", "fp32");
        assertThat(convert.run(120)).as(convert.logText()).isZero();
        refusedOnAFullDisk(convert, out, "model.safetensors");
    }

    @Test
    void ngramFit() throws Exception {
        Path out = dir.resolve("ngram"), draft = dir.resolve("draft");
        try (GPT2Weights w = GPT2Weights.random(GPT2Config.of(300, 64, 16, 1, 2), 2, 0.5, new Device("cpu"), torch.ScalarType.Float)) {
            GPT2Checkpoint.save(draft, w, Dtype.FP32, 0);
        }
        ChildSsd fit = ChildSsd.of(dir.resolve("log.txt"), "ngram", "fit", "--draft", draft.toString(), "--tokens", "20000", "--batch", "16",
                "--length", "64", "--out", out.resolve("ngram.katz").toString());
        assertThat(fit.run(120)).as(fit.logText()).isZero();
        refusedOnAFullDisk(fit, out, "ngram.katz");
    }

    @Test
    void benchDecodeResume() throws Exception {
        Path prompts = dir.resolve("prompts.jsonl");
        Files.writeString(prompts, "{\"task_id\": \"t/0\", \"prompt\": \"def f(x):\\n    return\", \"entry_point\": \"f\"}\n"
                + "{\"task_id\": \"t/1\", \"prompt\": \"import os\\n\", \"entry_point\": \"g\"}\n");
        Path out = dir.resolve("results");
        ChildSsd decode = ChildSsd.of(dir.resolve("log.txt"), "bench-decode", "--model", model.toString(), "--draft", model.toString(),
                "--prompts", prompts.toString(), "--max-new-tokens", "24", "--out", out.resolve("run.jsonl").toString(), "--resume");
        assertThat(decode.run(300)).as(decode.logText()).isZero();
        refusedOnAFullDisk(decode, out, "run.jsonl");
    }

    /** Reruns {@code job} with files capped below {@code file}'s size; the folder must be as the first run left it. */
    void refusedOnAFullDisk(ChildSsd job, Path folder, String file) throws IOException {
        Map<String, byte[]> before = contents(folder);
        long kb = Math.max(1, Files.size(folder.resolve(file)) / 1024 / 2);
        Path log = dir.resolve("full-disk.txt");
        ChildSsd full = ChildSsd.of(log).withArgs(job.command().subList(job.command().indexOf("ssd.harness.Ssd") + 1, job.command().size())
                .toArray(String[]::new)).withJvmOptions("-Xss8m", "-Xmx1g", "-XX:-UsePerfData").withFileSizeLimitKb(kb);
        assertThat(full.run(300)).as(full.logText()).isEqualTo(1);
        String error = full.logText().lines().filter(l -> l.startsWith("ssd ")).reduce((a, b) -> b).orElse("");
        assertThat(error).as(full.logText()).contains("File too large").contains(folder.toString());
        Map<String, byte[]> after = contents(folder);
        assertThat(after.keySet()).as("files after the failed write").isEqualTo(before.keySet());
        for (String name : before.keySet()) assertThat(after.get(name)).as(name).isEqualTo(before.get(name));
    }

    static Map<String, byte[]> contents(Path folder) throws IOException {
        Map<String, byte[]> m = new HashMap<>();
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(".tmp")) throw new AssertionError("temporary file left behind: " + p);
                // The provenance sidecar records the latest invocation, and an n-gram fit keeps its sampled batches
                // (OUT.samples.partial) for --resume once there is room; every complete file must be untouched.
                if (!name.endsWith(".provenance.json") && !name.endsWith(".partial")) m.put(name, Files.readAllBytes(p));
            }
        }
        return m;
    }
}

package ssd.harness.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ssd.common.Dtype;
import ssd.decoder.checkpoint.SafeTensorsFile;
import ssd.decoder.model.GPT2Checkpoint;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Weights;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Every long job survives kill -9 at any moment: `ssd corpus build`, `ssd train`, `ssd ngram fit` and
 * `ssd bench-decode` run in a child JVM on tiny inputs, are killed with SIGKILL at random moments (and once as a
 * write begins), and are restarted with --resume (the corpus build resumes by being rerun); a restart is killed in
 * turn. No file under a final name is ever partial, and the finished output matches an uninterrupted run's: byte for
 * byte, or record for record where a record holds timings. The seed of each test's kill moments is printed.
 */
class KillResumeTest {
    static final Set<String> DECODE_TIMINGS = Set.of("seconds", "decode_seconds", "ms_per_token", "tokens_per_second", "ms", "rss_bytes",
            "jvm_heap_bytes", "gpu_used_bytes");

    @TempDir
    Path dir;

    long seed() {
        long seed = new Random().nextLong();
        System.out.println(getClass().getSimpleName() + " kill-moment seed " + seed);
        return seed;
    }

    static void report(String job, KillAndResume.Report r) {
        System.out.printf(Locale.ROOT, "kill -9 %s: uninterrupted %.1f s; %s%n", job, r.referenceSeconds(), r.kills());
    }

    @Test
    void corpusBuild() throws Exception {
        Path src = PythonSources.write(dir.resolve("src"), 160, 11);
        Function<Path, ChildSsd> build = out -> ChildSsd.of(dir.resolve("log.txt"), "corpus", "build", "--from", src.toString(),
                "--out", out.toString(), "--shard-mb", "1", "--val-percent", "20", "--threads", "2", "--no-progress");
        Path out = dir.resolve("out"), ref = dir.resolve("ref");
        OutputFolder folder = new OutputFolder(out, ref, rel -> {
            if (rel.matches("(train|val)-\\d{5}\\.bin") || rel.equals("files.tsv")) return OutputRule.identical();
            if (rel.equals("manifest.json")) return OutputRule.jsonIgnoring(Set.of("created", "throughput"));
            if (rel.equals("manifest.partial.json")) return OutputRule.completeJson();
            return null;
        }, Map.of());
        report("corpus build", new KillAndResume(build.apply(out), build.apply(out), folder, 3, seed()).run(build.apply(ref)));
    }

    @Test
    void benchDecode() throws Exception {
        Path oracle = dir.resolve("oracle"), draft = dir.resolve("draft");
        try (GPT2Weights o = GPT2Weights.random(GPT2Config.of(50257, 128, 32, 2, 2), 1, 0.3, new Device("cpu"), torch.ScalarType.Float);
             GPT2Weights d = GPT2Weights.random(GPT2Config.of(50257, 128, 16, 1, 2), 2, 0.3, new Device("cpu"), torch.ScalarType.Float)) {
            GPT2Checkpoint.save(oracle, o, Dtype.FP32, 0);
            GPT2Checkpoint.save(draft, d, Dtype.FP32, 0);
        }
        Path prompts = dir.resolve("prompts.jsonl");
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            p.append("{\"task_id\": \"t/").append(i).append("\", \"prompt\": \"def f").append(i).append("(x):\\n    return x + ")
                    .append(i).append("\\n\", \"entry_point\": \"f").append(i).append("\"}\n");
        }
        Files.writeString(prompts, p);
        Function<Path, ChildSsd> decode = out -> ChildSsd.of(dir.resolve("log.txt"), "bench-decode", "--model", oracle.toString(),
                "--draft", draft.toString(), "--prompts", prompts.toString(), "--max-new-tokens", "8",
                // A fixed tree budget: an auto budget shapes staged trees by measured times, so records would differ run to run.
                "--tree-budget", "16", "--out", out.resolve("run.jsonl").toString());
        Path out = dir.resolve("out"), ref = dir.resolve("ref");
        OutputFolder folder = new OutputFolder(out, ref, rel -> switch (rel) {
            case "run.jsonl" -> OutputRule.lines(KillResumeTest::decodeKey, line -> OutputRule.strip(OutputRule.parse(line.getBytes()), DECODE_TIMINGS).toString());
            case "run.jsonl.provenance.json" -> OutputRule.completeJson();
            default -> null;
        }, Map.of());
        ChildSsd start = decode.apply(out);
        report("bench-decode", new KillAndResume(start, start.withArgs("--resume"), folder, 3, seed()).run(decode.apply(ref)));
    }

    @Test
    void train() throws Exception {
        Path corpus = TinyTokenCorpus.write(dir.resolve("corpus"), 64, 6_000, 1_500);
        Path profile = dir.resolve("tiny.json");
        String role = "\"n_layer\": 1, \"n_embd\": 16, \"n_head\": 2, \"n_positions\": 32, \"vocab_size\": 64, \"seq_len\": 16, "
                + "\"micro_batch\": 4, \"grad_accum\": 2, \"train_tokens\": 3840, \"lr\": 0.01, \"min_lr\": 0.001, \"warmup_steps\": 3, "
                + "\"weight_decay\": 0.1, \"beta1\": 0.9, \"beta2\": 0.95, \"eps\": 1e-8, \"grad_clip\": 1.0, \"eval_every\": 4, "
                + "\"eval_tokens\": 128, \"checkpoint_every\": 3, \"keep_checkpoints\": 3, \"seed\": 7, \"save_dtype\": \"fp32\"";
        Files.writeString(profile, "{\"name\": \"tiny\", \"oracle\": {" + role + "}, \"draft\": {" + role + "}}");
        Function<Path, ChildSsd> train = out -> ChildSsd.of(dir.resolve("log.txt"), "train", "--profile", profile.toString(), "--role", "oracle",
                "--corpus", corpus.toString(), "--out", out.toString(), "--no-progress");
        Path out = dir.resolve("out"), ref = dir.resolve("ref");
        Set<String> timings = Set.of("elapsed_seconds", "tokens_per_second", "mfu", "checkpoint");
        OutputFolder folder = new OutputFolder(out, ref, rel -> {
            // Whole whenever visible (keep_checkpoints prunes the early ones, so the reference may not hold them);
            // at the end the kept checkpoints, final/ and the last train-state are the uninterrupted run's bytes.
            if (rel.matches("(checkpoint-\\d+|final|train-state/(master|exp_avg|exp_avg_sq))/(config\\.json|model\\.safetensors)")) {
                return SafetensorsRule.completeThenIdentical();
            }
            if (rel.equals("train-state/state.json")) return OutputRule.completeJsonThen(timings);
            if (rel.equals("summary.json")) return OutputRule.jsonIgnoring(timings);
            if (rel.equals("summary.json.provenance.json")) return OutputRule.completeJson();
            // step,tokens,train_loss,val_loss,lr,tokens_per_s,mfu: the last two are timings
            if (rel.equals("train-log.csv")) return OutputRule.lines(line -> line.contains(",") ? line.substring(0, line.indexOf(',')) : null,
                    line -> String.join(",", List.of(line.split(",", -1)).subList(0, Math.min(5, line.split(",", -1).length))));
            return null;
        }, Map.of(Pattern.compile("checkpoint-\\d+|final"), List.of("config.json", "model.safetensors"),
                Pattern.compile("train-state"), List.of("state.json", "master/model.safetensors", "exp_avg/model.safetensors",
                        "exp_avg_sq/model.safetensors")));
        ChildSsd start = train.apply(out);
        report("train", new KillAndResume(start, start.withArgs("--resume"), folder, 3, seed()).run(train.apply(ref)));
    }

    @Test
    void ngramFit() throws Exception {
        Path draft = dir.resolve("draft");
        try (GPT2Weights d = GPT2Weights.random(GPT2Config.of(300, 64, 16, 1, 2), 2, 0.5, new Device("cpu"), torch.ScalarType.Float)) {
            GPT2Checkpoint.save(draft, d, Dtype.FP32, 0);
        }
        Function<Path, ChildSsd> fit = out -> ChildSsd.of(dir.resolve("log.txt"), "ngram", "fit", "--draft", draft.toString(), "--tokens", "40000",
                "--batch", "16", "--length", "64", "--min-trigram", "1", "--out", out.resolve("ngram.katz").toString());
        Path out = dir.resolve("out"), ref = dir.resolve("ref");
        OutputFolder folder = new OutputFolder(out, ref, rel -> rel.equals("ngram.katz") ? OutputRule.identical() : null, Map.of());
        ChildSsd start = fit.apply(out);
        report("ngram fit", new KillAndResume(start, start.withArgs("--resume"), folder, 3, seed()).run(fit.apply(ref)));
    }

    /** task_id and method of a complete record; null for a torn line. */
    static String decodeKey(String line) {
        JsonNode n = OutputRule.parse(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return n == null || !n.has("task_id") ? null : n.get("task_id").asText() + " " + n.path("method").asText();
    }
}

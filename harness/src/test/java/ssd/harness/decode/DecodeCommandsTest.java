package ssd.harness.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ssd.harness.SsdRun;
import ssd.common.Dtype;
import ssd.decoder.model.GPT2Checkpoint;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Weights;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The decode commands as a user runs them: real checkpoints on disk, the real command line, exit codes. */
class DecodeCommandsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path oracle, draft, prompts;

    @BeforeAll
    static void writeCheckpoints() throws Exception {
        oracle = dir.resolve("oracle");
        draft = dir.resolve("draft");
        try (GPT2Weights o = GPT2Weights.random(GPT2Config.of(50257, 256, 32, 2, 2), 1, 0.3, new Device("cpu"), torch.ScalarType.Float);
             GPT2Weights d = GPT2Weights.random(GPT2Config.of(50257, 256, 16, 1, 2), 2, 0.3, new Device("cpu"), torch.ScalarType.Float)) {
            GPT2Checkpoint.save(oracle, o, Dtype.FP32, 0);
            GPT2Checkpoint.save(draft, d, Dtype.BF16, 0);
        }
        prompts = dir.resolve("prompts.jsonl");
        Files.writeString(prompts, "{\"task_id\": \"t/0\", \"prompt\": \"def add(a, b):\\n    \\\"\\\"\\\"Add.\\\"\\\"\\\"\\n\", \"entry_point\": \"add\"}\n"
                + "{\"task_id\": \"t/1\", \"prompt\": \"import os\\n\\ndef home():\\n\", \"entry_point\": \"home\"}\n");
    }



    @Test
    void benchForwardWritesTheCsvTheSimulatorCalibratesFrom() throws Exception {
        Path csv = dir.resolve("bench/forward.csv");
        SsdRun r = SsdRun.of("bench-forward", "--layers", "1", "--embd", "32", "--heads", "2", "--vocab", "300", "--positions", "128",
                "--prefix", "8", "--new-tokens", "1,4", "--warmup", "1", "--iters", "3", "--copy-mib", "1", "--forward-mode", "static",
                "--check", "--out", csv.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("check: all", "% of copy bandwidth");
        List<ssd.roofline.calibrate.BenchRow> rows = ssd.roofline.calibrate.BenchCsv.read(csv);
        // eager and static rows for each batch size, each with its own copy bandwidth measured between its forwards
        assertThat(rows).hasSize(4);
        assertThat(rows).extracting(ssd.roofline.calibrate.BenchRow::newTokens).containsExactly(1, 1, 4, 4);
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.msPerForward()).isPositive();
            assertThat(row.copyBandwidth()).isPositive();
            assertThat(row.prefixLen()).isEqualTo(8);
        });
        assertThat(rows.get(1).device()).endsWith("[static]");
        assertThat(Files.exists(dir.resolve("bench/forward.csv.provenance.json"))).isTrue();
    }

    @Test
    void benchForwardTimesEachReadoutAndRefusesAnUnknownOne() {
        for (String readout : new String[]{"argmax", "top-32"}) {
            SsdRun r = SsdRun.of("bench-forward", "--layers", "1", "--embd", "32", "--heads", "2", "--vocab", "300", "--positions", "128",
                    "--prefix", "8", "--new-tokens", "1,4", "--warmup", "1", "--iters", "2", "--copy-mib", "1", "--forward-mode", "static",
                    "--readout", readout);
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("each reading back " + readout, "% of copy bandwidth");
        }
        SsdRun bad = SsdRun.of("bench-forward", "--layers", "1", "--embd", "32", "--heads", "2", "--vocab", "300", "--readout", "top-0");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("--readout top-0: expected logits, argmax or top-W");
    }

    @Test
    void generateJsonHasTokensOriginsAndStats() throws Exception {
        SsdRun r = SsdRun.of("generate", "--model", oracle.toString(), "--draft", draft.toString(), "--method", "staged",
                "--prompt", "def add(a, b):", "--max-new-tokens", "12", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode j = JSON.readTree(r.out().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
        assertThat(j.get("tokens")).hasSize(12);
        assertThat(j.get("origins")).hasSize(12);
        assertThat(j.get("prompt_tokens").size()).isPositive();
        assertThat(j.get("stats").get("oracle_forwards").asInt()).isPositive();
        assertThat(j.get("stats").get("bytes_read").asLong()).isPositive();
        assertThat(j.has("ms_per_token")).isTrue();
        SsdRun base = SsdRun.of("generate", "--model", oracle.toString(), "--prompt", "def add(a, b):", "--max-new-tokens", "12", "--json");
        JsonNode b = JSON.readTree(base.out().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
        assertThat(b.get("tokens")).isEqualTo(j.get("tokens"));
    }

    @Test
    void benchDecodeRecordsEveryPromptAndMethodAndResumes() throws Exception {
        Path out = dir.resolve("results/run.jsonl");
        SsdRun r = SsdRun.of("bench-decode", "--model", oracle.toString(), "--draft", draft.toString(), "--prompts", prompts.toString(), "--limit", "2",
                "--max-new-tokens", "10", "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(6);
        assertThat(r.out()).contains("greedy outputs identical to the baseline: yes");
        assertThat(Files.readString(out.resolveSibling("run.jsonl.provenance.json"))).contains("\"machine\"", "\"git_commit\"");
        JsonNode rec = JSON.readTree(lines.get(2));
        assertThat(rec.get("trace").get("oracle_calls").size()).isPositive();
        // an interrupted run: drop the last record and tear the one before; resume redoes exactly those
        Files.write(out, List.of(lines.get(0), lines.get(1), lines.get(2), lines.get(3), lines.get(4).substring(0, 20)));
        SsdRun again = SsdRun.of("bench-decode", "--model", oracle.toString(), "--draft", draft.toString(), "--prompts", prompts.toString(), "--limit", "2",
                "--max-new-tokens", "10", "--out", out.toString(), "--resume");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(Files.readAllLines(out)).hasSize(6).startsWith(lines.get(0), lines.get(1), lines.get(2), lines.get(3));
    }

    @Test
    void badInputGivesOneLineErrorsAndNonZeroExit() {
        SsdRun missing = SsdRun.of("generate", "--model", dir.resolve("nope").toString(), "--prompt", "x");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err().trim()).doesNotContain("\n").contains("nope").contains("not a directory");
        SsdRun method = SsdRun.of("generate", "--model", oracle.toString(), "--prompt", "x", "--method", "fast");
        assertThat(method.exit()).isEqualTo(1);
        assertThat(method.err()).contains("unknown --method 'fast'");
        SsdRun noDraft = SsdRun.of("generate", "--model", oracle.toString(), "--prompt", "x", "--method", "speculative");
        assertThat(noDraft.err()).contains("needs --draft");
        SsdRun flag = SsdRun.of("generate", "--model", oracle.toString(), "--prompt", "x", "--bogus");
        assertThat(flag.exit()).isEqualTo(2);
        SsdRun both = SsdRun.of("generate", "--model", oracle.toString());
        assertThat(both.exit()).isEqualTo(1);
        assertThat(both.err()).contains("exactly one of --prompt");
        SsdRun tooLong = SsdRun.of("generate", "--model", oracle.toString(), "--prompt-tokens", "1,".repeat(300) + "1");
        assertThat(tooLong.err()).contains("context is 256");
        SsdRun kernels = SsdRun.of("generate", "--model", oracle.toString(), "--prompt", "x", "--kernels", "cutlass");
        assertThat(kernels.exit()).isEqualTo(1);
        assertThat(kernels.err().trim()).doesNotContain("\n").contains("unknown kernels 'cutlass'").contains("fused or aten");
    }

    @Test
    void checkpointRandomWritesALoadableCheckpointOfTheGivenShape() {
        Path out = dir.resolve("random");
        SsdRun r = SsdRun.of("checkpoint", "random", "--layers", "2", "--embd", "32", "--heads", "4", "--vocab", "300", "--positions", "64",
                "--dtype", "bf16", "--seed", "3", "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        GPT2Config c = GPT2Checkpoint.readConfig(out);
        assertThat(new int[]{c.nLayer(), c.nEmbd(), c.nHead(), c.vocabSize(), c.nPositions()}).containsExactly(2, 32, 4, 300, 64);
        try (GPT2Weights w = GPT2Checkpoint.load(out, Dtype.BF16, new Device("cpu"))) {
            assertThat(w.byteCount()).isEqualTo(2 * c.parameterCount());
        }
        SsdRun bad = SsdRun.of("checkpoint", "random", "--layers", "2", "--embd", "30", "--heads", "4", "--out", dir.resolve("bad").toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err().strip()).doesNotContain("\n").contains("--embd").contains("not divisible");
    }
}

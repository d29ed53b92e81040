package ssd.harness.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ssd.common.Dtype;
import ssd.decoder.model.GPT2Checkpoint;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Weights;
import ssd.harness.SsdRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/** `ssd train agreement` as a user runs it, on a corpus built by `ssd corpus build` and tiny random checkpoints. */
class AgreementCommandTest {
    @TempDir
    Path dir;

    private Path corpus() throws IOException {
        Path src = dir.resolve("src/pkg");
        Files.createDirectories(src);
        for (int i = 0; i < 6; i++) {
            StringBuilder py = new StringBuilder("import os\n\n\n");
            for (int f = 0; f < 4; f++) {
                py.append("def walk_").append(i).append('_').append(f).append("(path, depth=").append(i + f).append("):\n")
                        .append("    \"\"\"List path ").append(i).append(" to depth ").append(f).append(".\"\"\"\n")
                        .append("    return sorted(os.listdir(path))[:depth]\n\n\n");
            }
            Files.writeString(src.resolve("mod" + i + ".py"), py);
        }
        Path corpus = dir.resolve("corpus");
        SsdRun build = SsdRun.of("corpus", "build", "--from", dir.resolve("src").toString(), "--out", corpus.toString(),
                "--val-percent", "100", "--threads", "1", "--no-progress");
        assertThat(build.exit()).as(build.err()).isZero();
        return corpus;
    }

    private Path model(String name, int layers, int embd, long seed) throws IOException {
        Path out = dir.resolve(name);
        try (GPT2Weights w = GPT2Weights.random(GPT2Config.of(50257, 64, embd, layers, 2), seed, 0.2, new Device("cpu"), torch.ScalarType.Float)) {
            GPT2Checkpoint.save(out, w, Dtype.FP32, 0);
        }
        return out;
    }

    @Test
    void scoresDraftsAgainstTheOracleAndWritesProvenance() throws Exception {
        Path corpus = corpus(), oracle = model("oracle", 2, 32, 1), draft = model("draft", 1, 16, 2);
        Path out = dir.resolve("results/agreement.json");
        SsdRun run = SsdRun.of("train", "agreement", "--oracle", oracle.toString(), "--draft", oracle.toString(), "--draft", draft.toString(),
                "--corpus", corpus.toString(), "--tokens", "600", "--context", "63", "--batch", "4", "--out", out.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("top-1", "top-4", "wrote " + out);

        JsonNode json = new ObjectMapper().readTree(out.toFile());
        assertThat(json.get("seq_len").asInt()).isEqualTo(63);
        assertThat(json.get("positions").asLong()).isEqualTo(json.get("windows").asLong() * 63).isGreaterThanOrEqualTo(600);
        JsonNode self = json.get("drafts").get(0), other = json.get("drafts").get(1);
        // The oracle as its own draft agrees everywhere, with no divergence and the same loss.
        assertThat(self.get("top1_agreement").asDouble()).isEqualTo(1.0);
        assertThat(self.get("top4_agreement").asDouble()).isEqualTo(1.0);
        assertThat(self.get("kl_oracle_draft").asDouble()).isCloseTo(0, offset(1e-6));
        assertThat(self.get("val_loss").asDouble()).isCloseTo(json.get("oracle_val_loss").asDouble(), offset(1e-6));
        // Another random model mostly does not: over 50257 tokens its argmax rarely matches.
        assertThat(other.get("top1_agreement").asDouble()).isLessThan(0.5);
        assertThat(other.get("top4_agreement").asDouble()).isGreaterThanOrEqualTo(other.get("top1_agreement").asDouble());
        assertThat(other.get("kl_oracle_draft").asDouble()).isGreaterThan(0.01);
        assertThat(other.get("parameters").asLong()).isEqualTo(GPT2Checkpoint.readConfig(draft).parameterCount());

        JsonNode provenance = new ObjectMapper().readTree(dir.resolve("results/agreement.json.provenance.json").toFile());
        assertThat(provenance.get("command").asText()).startsWith("ssd");
        assertThat(provenance.get("git_commit").asText()).isNotBlank();
    }

    @Test
    void aMissingDraftIsOneLineNamingIt() throws Exception {
        Path corpus = corpus(), oracle = model("oracle", 1, 16, 1);
        Path out = dir.resolve("a.json");
        SsdRun run = SsdRun.of("train", "agreement", "--oracle", oracle.toString(), "--draft", dir.resolve("nope").toString(),
                "--corpus", corpus.toString(), "--out", out.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().strip()).doesNotContain("\n").contains("--draft").contains("nope").contains("does not exist");
        assertThat(out).doesNotExist();
    }
}

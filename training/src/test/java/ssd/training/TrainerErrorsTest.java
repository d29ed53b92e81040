package ssd.training;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each user mistake fails fast with a one-line message that names the problem. */
class TrainerErrorsTest {
    @TempDir
    static Path shared;
    static Path corpus;

    @BeforeAll
    static void corpus() throws Exception {
        corpus = TinyCorpus.write(shared.resolve("corpus"), 4_000, 1_000);
    }

    private static void train(TrainRequest req) {
        new Trainer(req, new PrintWriter(new StringWriter())).run();
    }

    private static TrainRequest tiny(Path corpusDir, Path out) {
        RoleSettings s = TestProfiles.tiny(1, 8, 1, 128 * 2, 1, 0);
        return TrainRequest.of(TestProfiles.profile(s, s), Role.ORACLE, corpusDir, out);
    }

    @Test
    void missingCorpusDirectory(@TempDir Path dir) {
        assertThatThrownBy(() -> train(tiny(dir.resolve("nope"), dir.resolve("out"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("corpus directory").hasMessageContaining("does not exist");
    }

    @Test
    void directoryWithoutAManifest(@TempDir Path dir) {
        assertThatThrownBy(() -> train(tiny(dir, dir.resolve("out"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("manifest.json is missing");
    }

    @Test
    void unknownProfileAndRole() {
        assertThatThrownBy(() -> TrainingProfile.load("gigantic"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown profile 'gigantic': expected one of mini, paper, gpt2-small or a path to a profile .json file");
        assertThatThrownBy(() -> Role.parse("teacher")).hasMessage("unknown role 'teacher': expected oracle or draft");
    }

    @Test
    void malformedProfileFiles(@TempDir Path dir) throws Exception {
        Path typo = dir.resolve("typo.json");
        Files.writeString(typo, Files.readString(Path.of(TrainingProfile.class.getResource("profiles/mini.json").toURI()))
                .replace("\"micro_batch\"", "\"mikro_batch\""));
        assertThatThrownBy(() -> TrainingProfile.load(typo.toString())).hasMessageStartingWith(typo.toString()).hasMessageContaining("micro_batch");
        assertThatThrownBy(() -> TrainingProfile.load(dir.resolve("absent.json").toString())).hasMessageContaining("does not exist");
    }

    @Test
    void badFlags() {
        RoleSettings s = TestProfiles.tiny(1, 8, 1, 1000, 1, 0);
        assertThatThrownBy(() -> s.withMicroBatch(3)).hasMessageContaining("--micro-batch 3 must divide the 8 windows per step");
        assertThatThrownBy(() -> s.withTrainTokens(0)).hasMessageContaining("train_tokens must be positive");
        assertThatThrownBy(() -> ComputePrecision.parse("fp8", new org.bytedeco.pytorch.Device("cpu"))).hasMessageContaining("unknown compute dtype 'fp8'");
        assertThatThrownBy(() -> tiny(corpus, null)).hasMessageContaining("--out DIR is required");
        assertThatThrownBy(() -> tiny(corpus, Path.of("x")).withStopAt(-1)).hasMessageContaining("--stop-at");
        assertThatThrownBy(() -> train(new TrainRequest(TestProfiles.profile(s, s), Role.ORACLE, s, corpus, Path.of("x"), null, false,
                "tpu", "auto", null, 0, false, null, null))).hasMessageContaining("unknown device 'tpu'");
    }

    @Test
    void refusesToOverwriteAndResumesFromWhereverTheRunStands(@TempDir Path dir) {
        Path out = dir.resolve("run");
        // Killed before its first saved state, a run has nothing to resume: --resume starts it from step 0.
        StringWriter console = new StringWriter();
        TrainSummary started = new Trainer(tiny(corpus, out).withResume(true), new PrintWriter(console)).run();
        assertThat(started.complete()).isTrue();
        assertThat(console.toString()).contains("starting from step 0");
        assertThatThrownBy(() -> train(tiny(corpus, out))).hasMessageContaining("already holds a training run: pass --resume");
        // Resuming a finished run (killed after it finished) does nothing and gives its summary.
        StringWriter again = new StringWriter();
        TrainSummary done = new Trainer(tiny(corpus, out).withResume(true), new PrintWriter(again)).run();
        assertThat(again.toString()).contains("already complete");
        assertThat(done.finalValLoss()).isEqualTo(started.finalValLoss());
        RoleSettings other = TestProfiles.tiny(1, 8, 1, 128 * 4, 1, 0);
        assertThatThrownBy(() -> train(tiny(corpus, out).withSettings(other).withResume(true))).hasMessageContaining("settings differ");
    }

    @Test
    void modelTooSmallForTheCorpusVocabulary(@TempDir Path dir) {
        RoleSettings s = TestProfiles.tiny(1, 8, 1, 256, 1, 0);
        RoleSettings small = new RoleSettings(1, 8, 1, 32, 40, 16, 4, 2, 256, 1e-2, 1e-3, 0, 0.1, 0.9, 0.95, 1e-8, 1.0, 1, 64, 0, 1, 7, "fp32", null);
        assertThatThrownBy(() -> train(TrainRequest.of(TestProfiles.profile(small, s), Role.ORACLE, corpus, dir.resolve("o"))))
                .hasMessageContaining("outside the model's vocabulary of 40");
    }

    @Test
    void initFromAMissingCheckpoint(@TempDir Path dir) {
        assertThatThrownBy(() -> train(tiny(corpus, dir.resolve("o")).withInit(dir.resolve("none"))))
                .hasMessageContaining("--init").hasMessageContaining("does not exist");
    }
}

package ssd.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ssd.common.Dtype;
import ssd.decoder.model.GPT2Checkpoint;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.model.GPT2Weights;
import ssd.decoder.torch.Torch;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The training loop end to end on a tiny corpus and model (CPU, fp32, one thread). */
class TrainerTest {
    @TempDir
    static Path shared;
    static Path corpus;

    @BeforeAll
    static void corpus() throws Exception {
        corpus = TinyCorpus.write(shared.resolve("corpus"), 40_000, 4_000);
    }

    private static TrainSummary train(TrainRequest req, StringWriter log) {
        try {
            return new Trainer(req, new PrintWriter(log, true)).run();
        } finally {
            System.out.print(log); // the trainer's own report, for whoever reads the test output
        }
    }

    private static TrainSummary train(TrainRequest req) {
        return train(req, new StringWriter());
    }

    private static TrainRequest request(RoleSettings s, Path out) {
        return TrainRequest.of(TestProfiles.profile(s, s), Role.ORACLE, corpus, out);
    }

    @Test
    void lossFallsOnARepetitiveCorpus(@TempDir Path out) throws Exception {
        RoleSettings s = TestProfiles.tiny(2, 32, 2, 128 * 60, 20, 0);
        StringWriter console = new StringWriter();
        TrainSummary summary = train(request(s, out), console);

        List<String> rows = Files.readAllLines(out.resolve("train-log.csv"));
        assertThat(rows.get(0)).isEqualTo("step,tokens,train_loss,val_loss,lr,tokens_per_s,mfu");
        assertThat(rows).hasSize(4); // steps 20, 40, 60
        double firstVal = Double.parseDouble(rows.get(1).split(",")[3]);
        double lastVal = Double.parseDouble(rows.get(3).split(",")[3]);
        // Uniform guessing over 64 ids is ln 64 = 4.16; the recurrence is learnable, so the loss must fall well below.
        assertThat(lastVal).isLessThan(firstVal).isLessThan(2.0);
        assertThat(rows.get(3).split(",", -1)[6]).as("MFU is n/a on CPU").isEmpty();
        assertThat(summary.complete()).isTrue();
        assertThat(summary.steps()).isEqualTo(60);
        assertThat(summary.tokens()).isEqualTo(60 * 128);
        assertThat(summary.finalValLoss()).isEqualTo(lastVal, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(console.toString()).contains("step 60/60", "MFU n/a");

        JsonNode json = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(json.get("role").asText()).isEqualTo("oracle");
        assertThat(json.get("final_val_loss").asDouble()).isEqualTo(summary.finalValLoss());
        assertThat(json.get("corpus_manifest_sha256").asText()).hasSize(64);
        assertThat(json.get("mfu").isNull()).isTrue();
    }

    @Test
    void resumeContinuesBitForBit(@TempDir Path dir) throws Exception {
        RoleSettings s = TestProfiles.tiny(2, 16, 2, 128 * 24, 8, 0);
        Path straight = dir.resolve("straight"), split = dir.resolve("split");
        train(request(s, straight));
        TrainSummary stopped = train(request(s, split).withStopAt(10));
        assertThat(stopped.complete()).isFalse();
        assertThat(stopped.steps()).isEqualTo(10);
        StringWriter console = new StringWriter();
        TrainSummary resumed = train(request(s, split).withResume(true), console);
        assertThat(console.toString()).contains("resuming", "at step 10 of 24");
        assertThat(resumed.complete()).isTrue();
        assertThat(resumed.tokens()).isEqualTo(24 * 128);

        try (PointerScope scope = new PointerScope()) {
            GPT2Weights a = GPT2Checkpoint.load(straight.resolve("final"), Dtype.FP32, new Device("cpu"));
            GPT2Weights b = GPT2Checkpoint.load(split.resolve("final"), Dtype.FP32, new Device("cpu"));
            List<Tensor> pa = a.parameters(), pb = b.parameters();
            for (int i = 0; i < pa.size(); i++) assertThat(pa.get(i).equal(pb.get(i))).as("parameter %d", i).isTrue();
            // The optimiser moments too: the whole state continued exactly.
            GPT2Weights ma = GPT2Checkpoint.load(straight.resolve("train-state/exp_avg_sq"), Dtype.FP32, new Device("cpu"));
            GPT2Weights mb = GPT2Checkpoint.load(split.resolve("train-state/exp_avg_sq"), Dtype.FP32, new Device("cpu"));
            for (int i = 0; i < pa.size(); i++) assertThat(ma.parameters().get(i).equal(mb.parameters().get(i))).isTrue();
        }
        // The log of the interrupted run reads like the straight one (same rows, except the throughput columns).
        List<String> la = Files.readAllLines(straight.resolve("train-log.csv")), lb = Files.readAllLines(split.resolve("train-log.csv"));
        assertThat(lb).hasSameSizeAs(la);
        for (int i = 1; i < la.size(); i++) {
            assertThat(String.join(",", List.of(lb.get(i).split(",")).subList(0, 5)))
                    .isEqualTo(String.join(",", List.of(la.get(i).split(",")).subList(0, 5)));
        }
    }

    @Test
    void checkpointsLoadWithTheDecoderAndGiveTheSameLogits(@TempDir Path out) throws Exception {
        RoleSettings s = TestProfiles.tiny(2, 16, 2, 128 * 12, 4, 4);
        train(request(s, out));
        RunLayout layout = new RunLayout(out);
        // Periodic checkpoints at 4 and 8 (12 is the final one); keep_checkpoints = 2 keeps both.
        assertThat(layout.checkpointSteps()).containsExactly(4L, 8L);
        assertThat(out.resolve("final/config.json")).exists();
        assertThat(out.resolve("final/model.safetensors")).exists();
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            Device cpu = new Device("cpu");
            GPT2Model fromCheckpoint = new GPT2Model(GPT2Checkpoint.load(out.resolve("final"), Dtype.FP32, cpu));
            GPT2Model fromState = new GPT2Model(GPT2Checkpoint.load(out.resolve("train-state/master"), Dtype.FP32, cpu));
            assertThat(fromCheckpoint.config()).isEqualTo(s.config());
            Tensor ids = Torch.longs(new long[]{1, 2, 3, 5, 8, 13, 21, 34}, cpu).view(1, 8);
            Tensor a = fromCheckpoint.forwardFull(ids), b = fromState.forwardFull(ids);
            assertThat(a.equal(b)).isTrue();
            // And a bf16 checkpoint of the same weights is close (what a shipped model is).
            Path bf16 = out.resolve("bf16");
            GPT2Checkpoint.save(bf16, fromState.weights(), Dtype.BF16, 0);
            float[] la = Torch.toFloats(a), lc = Torch.toFloats(new GPT2Model(GPT2Checkpoint.load(bf16, Dtype.FP32, cpu)).forwardFull(ids));
            for (int i = 0; i < la.length; i++) assertThat(lc[i]).isCloseTo(la[i], org.assertj.core.data.Offset.offset(0.1f));
        }
    }

    @Test
    void theOracleBeatsTheDraftOnTheSameValidationWindows(@TempDir Path dir) {
        TrainingProfile family = TestProfiles.tinyFamily();
        Path oracle = dir.resolve("oracle"), draft = dir.resolve("draft");
        train(TrainRequest.of(family, Role.DRAFT, corpus, draft));
        StringWriter console = new StringWriter();
        TrainSummary s = train(TrainRequest.of(family, Role.ORACLE, corpus, oracle).withCompareWith(draft.resolve("final")), console);
        Comparison c = s.comparison();
        assertThat(c).isNotNull();
        assertThat(c.oracleValLoss()).isLessThan(c.draftValLoss());
        assertThat(c.oracleLower()).isTrue();
        // The oracle's own summary loss and the comparison's agree (same windows, fp32 checkpoint = masters).
        assertThat(c.oracleValLoss()).isEqualTo(s.finalValLoss(), org.assertj.core.data.Offset.offset(1e-5));
        assertThat(console.toString()).contains("oracle " + String.format(java.util.Locale.ROOT, "%.4f", c.oracleValLoss()), "oracle < draft");
    }

    @Test
    void aRunWhoseOracleIsNoBetterFailsAgainWhenResumedAfterItFinished(@TempDir Path dir) throws Exception {
        TrainingProfile family = TestProfiles.tinyFamily();
        // An untrained "oracle": the trained draft beats it, so the run fails after writing summary.json and its final state.
        Path untrained = dir.resolve("untrained"), draft = dir.resolve("draft");
        try (GPT2Weights w = GPT2Weights.random(family.oracle().config(), 1, 0.02, new Device("cpu"), org.bytedeco.pytorch.global.torch.ScalarType.Float)) {
            GPT2Checkpoint.save(untrained, w, Dtype.FP32, 0);
        }
        TrainRequest req = TrainRequest.of(family, Role.DRAFT, corpus, draft).withCompareWith(untrained);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> train(req)).hasMessageContaining("is not lower than the draft's");
        StringWriter console = new StringWriter();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> train(req.withResume(true), console))
                .hasMessageContaining("is not lower than the draft's");
        assertThat(console.toString()).contains("already complete");
    }
}

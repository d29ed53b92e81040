package ssd.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ssd.datasets.shards.TokenShards;
import ssd.common.Dtype;
import ssd.decoder.model.GPT2Checkpoint;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Weights;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Distilling a tiny draft from a tiny trained oracle (CPU, fp32, one thread). */
class DistillTrainingTest {
    @TempDir
    static Path shared;
    static Path corpus;
    static Path oracle;
    static final RoleSettings ORACLE = TestProfiles.tiny(2, 32, 2, 128 * 60, 20, 0);

    @BeforeAll
    static void corpusAndOracle() throws Exception {
        corpus = TinyCorpus.write(shared.resolve("corpus"), 40_000, 4_000);
        Path run = shared.resolve("oracle");
        train(TrainRequest.of(TestProfiles.profile(ORACLE, ORACLE), Role.ORACLE, corpus, run), new StringWriter());
        oracle = run.resolve("final");
    }

    private static TrainSummary train(TrainRequest req, StringWriter log) {
        try {
            return new Trainer(req, new PrintWriter(log, true)).run();
        } finally {
            System.out.print(log);
        }
    }

    /** A draft role with distillation settings whose budget and micro-batch are the plain run's unless given. */
    private static RoleSettings draft(int embd, long tokens, int evalEvery, DistillSettings distill) {
        return TestProfiles.tiny(1, embd, 1, tokens, evalEvery, 0).withDistill(distill);
    }

    private static TrainRequest request(RoleSettings draft, Path out) {
        return TrainRequest.of(TestProfiles.profile(ORACLE, draft), Role.DRAFT, corpus, out);
    }

    private static double top1(Path draft) {
        Agreement.Report r = Agreement.measure(oracle, List.of(draft), TokenShards.open(corpus), 16, 4000, 8, new Device("cpu"),
                ComputePrecision.FP32);
        return r.drafts().get(0).top1();
    }

    @Test
    void distillationRaisesTopOneAgreementOverPlainTrainingOnTheSameBudget(@TempDir Path dir) throws Exception {
        RoleSettings s = draft(16, 128 * 40, 20, new DistillSettings(0.9, 1.0, 128 * 40, 4));
        Path plain = dir.resolve("plain"), distilled = dir.resolve("distilled");
        TrainSummary p = train(request(s, plain), new StringWriter());
        StringWriter console = new StringWriter();
        TrainSummary d = train(request(s, distilled).withDistillFrom(oracle), console);
        assertThat(d.tokens()).isEqualTo(p.tokens());
        assertThat(console.toString()).contains("distilling from " + oracle, "0.10 * cross-entropy + 0.90 * T^2 * KL");

        // Measured with this seed: plain 0.525, distilled 0.655 (and +0.07 to +0.15 with other seeds and widths at 40 steps).
        double plainTop1 = top1(plain.resolve("final")), distilledTop1 = top1(distilled.resolve("final"));
        assertThat(distilledTop1).as("top-1 agreement, plain %.4f", plainTop1).isGreaterThan(plainTop1 + 0.05);

        // Same outputs as plain training, plus the distillation settings and the check against its own oracle.
        assertThat(distilled.resolve("final/config.json")).exists();
        assertThat(Files.readAllLines(distilled.resolve("train-log.csv"))).hasSize(3); // header, steps 20 and 40
        JsonNode json = new ObjectMapper().readTree(distilled.resolve("summary.json").toFile());
        assertThat(json.get("distillation").get("alpha").asDouble()).isEqualTo(0.9);
        assertThat(json.get("distillation").get("temperature").asDouble()).isEqualTo(1.0);
        assertThat(json.get("distillation").get("oracle").asText()).isEqualTo(oracle.toString());
        assertThat(json.get("comparison").get("oracle_lower").asBoolean()).isTrue();
        assertThat(d.comparison().draftValLoss()).isEqualTo(d.finalValLoss(), org.assertj.core.data.Offset.offset(1e-5));
        assertThat(new ObjectMapper().readTree(plain.resolve("summary.json").toFile()).get("distillation").isNull()).isTrue();
    }

    @Test
    void resumeOfADistillationRunContinuesBitForBit(@TempDir Path dir) throws Exception {
        // T != 1 takes the separate cross-entropy + KL path; micro-batches of 2 accumulate over 4.
        RoleSettings s = draft(8, 128 * 12, 4, new DistillSettings(0.7, 2.0, 128 * 12, 2));
        Path straight = dir.resolve("straight"), split = dir.resolve("split");
        train(request(s, straight).withDistillFrom(oracle), new StringWriter());
        TrainSummary stopped = train(request(s, split).withDistillFrom(oracle).withStopAt(5), new StringWriter());
        assertThat(stopped.complete()).isFalse();
        assertThatThrownBy(() -> train(request(s, split).withResume(true), new StringWriter()))
                .hasMessageContaining("distils from").hasMessageContaining("has no --distill-from");
        StringWriter console = new StringWriter();
        TrainSummary resumed = train(request(s, split).withDistillFrom(oracle).withResume(true), console);
        assertThat(console.toString()).contains("resuming", "at step 5 of 12");
        assertThat(resumed.complete()).isTrue();
        try (PointerScope scope = new PointerScope()) {
            Device cpu = new Device("cpu");
            for (String part : new String[]{"final", "train-state/exp_avg_sq"}) {
                List<Tensor> a = GPT2Checkpoint.load(straight.resolve(part), Dtype.FP32, cpu).parameters();
                List<Tensor> b = GPT2Checkpoint.load(split.resolve(part), Dtype.FP32, cpu).parameters();
                for (int i = 0; i < a.size(); i++) assertThat(a.get(i).equal(b.get(i))).as("%s parameter %d", part, i).isTrue();
            }
        }
        // Resuming the finished run gives its summary back, distillation and comparison included, still only from the same oracle.
        StringWriter again = new StringWriter();
        TrainSummary done = train(request(s, split).withDistillFrom(oracle).withResume(true), again);
        assertThat(again.toString()).contains("already complete");
        assertThat(done.distillation()).isEqualTo(resumed.distillation()).isNotNull();
        assertThat(done.comparison()).isEqualTo(resumed.comparison());
        assertThatThrownBy(() -> train(request(s, split).withResume(true), new StringWriter())).hasMessageContaining("has no --distill-from");
        // A plain run cannot be continued as a distillation run either.
        Path plain = dir.resolve("plain");
        train(request(s, plain).withStopAt(2), new StringWriter());
        assertThatThrownBy(() -> train(request(s, plain).withDistillFrom(oracle).withResume(true), new StringWriter()))
                .hasMessageContaining("is plain training");
    }

    @Test
    void refusesAnOracleThatCannotTeachTheDraftBeforeWritingAnything(@TempDir Path dir) throws Exception {
        RoleSettings s = draft(8, 128 * 2, 1, new DistillSettings(0.5, 1.0, 128 * 2, 4));
        Path out = dir.resolve("run");
        assertThatThrownBy(() -> train(request(s, out).withDistillFrom(dir.resolve("none")), new StringWriter()))
                .hasMessageContaining("--distill-from").hasMessageContaining("does not exist");
        assertThatThrownBy(() -> train(request(s, out).withDistillFrom(randomCheckpoint(dir.resolve("v50"), GPT2Config.of(50, 32, 8, 1, 1))),
                new StringWriter())).hasMessageContaining("the oracle's vocabulary (50) differs from the draft's (64)");
        assertThatThrownBy(() -> train(request(s, out).withDistillFrom(randomCheckpoint(dir.resolve("ctx8"), GPT2Config.of(64, 8, 8, 1, 1))),
                new StringWriter())).hasMessageContaining("the oracle's context (8) is shorter than the training windows (seq_len 16)");
        assertThat(out).doesNotExist();

        assertThatThrownBy(() -> new TrainRequest(TestProfiles.profile(ORACLE, s), Role.ORACLE, ORACLE, corpus, out, null, false, "cpu", "auto",
                null, 0, false, null, oracle)).hasMessageContaining("--distill-from trains a draft");
        RoleSettings none = TestProfiles.tiny(1, 8, 1, 128 * 2, 1, 0);
        assertThatThrownBy(() -> request(none, out).withDistillFrom(oracle)).hasMessageContaining("\"distill\" object");
    }

    private static Path randomCheckpoint(Path dir, GPT2Config c) throws Exception {
        try (GPT2Weights w = GPT2Weights.random(c, 1, 0.02, new Device("cpu"), torch.ScalarType.Float)) {
            GPT2Checkpoint.save(dir, w, Dtype.FP32, 0);
        }
        return dir;
    }
}

package ssd.training.ngram;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import ssd.decoder.model.BatchCache;
import org.junit.jupiter.api.io.TempDir;
import ssd.decoder.decoding.TargetDistribution;
import ssd.decoder.forward.Forward;
import ssd.decoder.forward.ForwardPlan;
import ssd.decoder.decoding.SamplingConfig;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.model.GPT2Weights;
import ssd.decoder.cache.KVCache;
import ssd.decoder.forward.Logits;
import ssd.decoder.torch.Torch;
import ssd.decoder.ngram.KatzConfig;
import ssd.decoder.ngram.KatzTrigram;
import ssd.decoder.ngram.KatzTrigramFile;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NgramFitTest {
    static GPT2Model tiny() {
        return new GPT2Model(GPT2Weights.random(GPT2Config.of(8, 32, 16, 1, 2), 3, 0.5, new Device("cpu"), torch.ScalarType.Float));
    }

    @TempDir
    Path dir;

    @Test
    void fitsAReadableTrigramDeterministicallyFromTheSeed() throws Exception {
        try (GPT2Model draft = tiny(); DraftSampler sampler = new DraftSampler(draft, 16, 20, 1.5);
             DraftSampler again = new DraftSampler(draft, 16, 20, 1.5)) {
            NgramFit.Summary s = NgramFit.run(sampler, 1000, 5, new KatzConfig(5, 1, 1), dir.resolve("a.katz"));
            NgramFit.run(again, 1000, 5, new KatzConfig(5, 1, 1), dir.resolve("b.katz"));
            NgramFit.run(again, 1000, 6, new KatzConfig(5, 1, 1), dir.resolve("c.katz"));
            assertThat(s.sampledTokens()).isGreaterThanOrEqualTo(1000);
            assertThat(s.batches()).isEqualTo(4); // 16 x 19 tokens per batch
            assertThat(Files.readAllBytes(dir.resolve("a.katz"))).isEqualTo(Files.readAllBytes(dir.resolve("b.katz")));
            assertThat(Files.readAllBytes(dir.resolve("c.katz"))).as("another seed, other samples").isNotEqualTo(Files.readAllBytes(dir.resolve("a.katz")));
            KatzTrigram model = KatzTrigramFile.read(dir.resolve("a.katz"));
            assertThat(model.vocabSize()).isEqualTo(8);
            assertThat(model.totalTokens()).isEqualTo(s.sampledTokens() + s.batches() * 16L);
        }
    }

    @Test
    void aResumedFitRecountsTheLoggedBatchesDropsATornOneAndWritesTheSameFile() throws Exception {
        KatzConfig config = new KatzConfig(5, 1, 1);
        try (GPT2Model draft = tiny(); DraftSampler sampler = new DraftSampler(draft, 16, 20, 1.5)) {
            NgramFit.Summary whole = NgramFit.run(sampler, 1000, 5, config, dir.resolve("whole.katz"));
            assertThat(SampleLog.of(dir.resolve("whole.katz"))).as("the log is deleted once the model is written").doesNotExist();

            // What a fit killed during its third batch's append leaves: two logged batches and part of a third.
            Path out = dir.resolve("resumed.katz");
            String settings = SampleLog.settings("draft", sampler.vocabSize(), sampler.batch(), sampler.length(), sampler.temperature(), 5);
            try (SampleLog log = SampleLog.create(SampleLog.of(out), settings, sampler.vocabSize(), sampler.batch(), sampler.length())) {
                log.append(sampler.sampleBatch(5));
                log.append(sampler.sampleBatch(6));
            }
            Files.write(SampleLog.of(out), new byte[]{1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);

            NgramFit.Summary resumed = NgramFit.run(sampler, new NgramFit.Request("draft", 1000, 5, config, out, true));
            assertThat(resumed.batches()).isEqualTo(whole.batches());
            assertThat(resumed.resumedBatches()).isEqualTo(2);
            assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(dir.resolve("whole.katz")));
            assertThat(SampleLog.of(out)).doesNotExist();

            NgramFit.Summary again = NgramFit.run(sampler, new NgramFit.Request("draft", 1000, 5, config, out, true));
            assertThat(again.resumedBatches()).as("a finished fit has nothing to resume").isEqualTo(again.batches());
            assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(dir.resolve("whole.katz")));
        }
    }

    @Test
    void aLogKilledWhileItsSettingsLineWasWrittenIsStartedOver() throws Exception {
        KatzConfig config = new KatzConfig(5, 1, 1);
        try (GPT2Model draft = tiny(); DraftSampler sampler = new DraftSampler(draft, 16, 20, 1.5)) {
            NgramFit.run(sampler, 1000, 5, config, dir.resolve("whole.katz"));
            Path out = dir.resolve("resumed.katz");
            for (String torn : new String[]{"", "{\"format\":\"ssd-ngram-sa"}) {
                Files.writeString(SampleLog.of(out), torn);
                NgramFit.Summary s = NgramFit.run(sampler, new NgramFit.Request("draft", 1000, 5, config, out, true));
                assertThat(s.resumedBatches()).isZero();
                assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(dir.resolve("whole.katz")));
                Files.delete(out);
            }
        }
    }

    @Test
    void aResumeWithOtherSamplerSettingsIsRefusedNamingTheLog() throws Exception {
        KatzConfig config = new KatzConfig(5, 1, 1);
        Path out = dir.resolve("fit.katz");
        try (GPT2Model draft = tiny(); DraftSampler sampler = new DraftSampler(draft, 16, 20, 1.5);
             DraftSampler hotter = new DraftSampler(draft, 16, 20, 2.0)) {
            String settings = SampleLog.settings("draft", sampler.vocabSize(), sampler.batch(), sampler.length(), sampler.temperature(), 5);
            try (SampleLog log = SampleLog.create(SampleLog.of(out), settings, sampler.vocabSize(), sampler.batch(), sampler.length())) {
                log.append(sampler.sampleBatch(5));
            }
            assertThatThrownBy(() -> NgramFit.run(hotter, new NgramFit.Request("draft", 1000, 5, config, out, true)))
                    .hasMessageContaining("--resume").hasMessageContaining(SampleLog.of(out).toString()).hasMessageContaining("other settings");
            assertThatThrownBy(() -> NgramFit.run(sampler, new NgramFit.Request("draft", 1000, 6, config, out, true)))
                    .hasMessageContaining("other settings");
            assertThat(out).doesNotExist();
        }
    }

    @ParameterizedTest
    @EnumSource(GumbelNoise.class)
    void batchedSamplesFollowTheModelsTemperedDistribution(GumbelNoise noise) {
        try (GPT2Model draft = tiny()) {
            // First sampled token after the start token, over many sequences, against softmax(logits / T).
            double temperature = 1.5;
            double[] expected;
            try (Forward eager = Forward.create(draft, ForwardPlan.eagerCpu()); KVCache cache = eager.newCache(1);
                 Logits l = eager.run(cache, new int[]{7}, new int[]{-1})) {
                expected = TargetDistribution.of(l.tensor(), new SamplingConfig(temperature, 0, 0))[0].dense(8);
            }
            long[] counts = new long[8];
            try (DraftSampler sampler = new DraftSampler(draft, 500, 2, temperature, noise)) {
                for (int b = 0; b < 8; b++) {
                    for (int[] seq : sampler.sampleBatch(100 + b)) counts[seq[1]]++;
                }
            }
            double chi2 = 0;
            for (int i = 0; i < 8; i++) {
                double e = expected[i] * 4000;
                chi2 += (counts[i] - e) * (counts[i] - e) / e;
            }
            assertThat(chi2).as("chi-square with 7 df (24.32 is the 0.999 quantile)").isLessThan(24.32);
        }
    }

    @ParameterizedTest
    @EnumSource(GumbelNoise.class)
    void aSharpDistributionIsNotSampledAsAFlatOne(GumbelNoise noise) {
        // The chi-square test above cannot tell a sampler that ignores the temperature from one that does not when the
        // distribution is flat; at T = 0.05 nearly every draw must be the argmax.
        try (GPT2Model draft = tiny(); DraftSampler sampler = new DraftSampler(draft, 200, 2, 0.05, noise)) {
            int argmax;
            try (Forward eager = Forward.create(draft, ForwardPlan.eagerCpu()); KVCache cache = eager.newCache(1);
                 Logits l = eager.run(cache, new int[]{7}, new int[]{-1})) {
                float[] row = l.row(0);
                argmax = 0;
                for (int i = 1; i < row.length; i++) if (row[i] > row[argmax]) argmax = i;
            }
            int hits = 0;
            for (int[] seq : sampler.sampleBatch(3)) if (seq[1] == argmax) hits++;
            assertThat(hits).isGreaterThan(190);
        }
    }

    @Test
    void exponentialNoiseDrawsWhatSoftmaxAndMultinomialDrawFromTheSameSeed() {
        // torch.multinomial draws one sample as argmax(p / E) with E = exponential_ over [batch, vocab]: the same
        // generator use as EXPONENTIAL noise, so the two samplers must agree token for token along whole sequences.
        int batch = 6, length = 15;
        double temperature = 1.5;
        try (GPT2Model draft = tiny(); DraftSampler sampler = new DraftSampler(draft, batch, length, temperature, GumbelNoise.EXPONENTIAL)) {
            int[][] ours = sampler.sampleBatch(42);
            torch.manual_seed(42);
            try (BatchCache cache = draft.newBatchCache(batch, length); PointerScope scope = new PointerScope()) {
                long[] start = new long[batch];
                java.util.Arrays.fill(start, 7);
                Tensor next = Torch.longs(start, draft.device()).view(batch, 1);
                for (int pos = 1; pos < length; pos++) {
                    Tensor probs = torch.softmax(draft.forwardBatch(cache, next).div(new Scalar(temperature)), 1, new ScalarTypeOptional());
                    next = torch.multinomial(probs, 1, false, new GeneratorOptional());
                    long[] drawn = Torch.toLongs(next);
                    for (int b = 0; b < batch; b++) assertThat(ours[b][pos]).as("sequence %d position %d", b, pos).isEqualTo((int) drawn[b]);
                }
            }
            for (int[] seq : ours) assertThat(seq[0]).isEqualTo(7);
        }
    }

    @Test
    void theSamplingForwardGivesTheFullForwardsLogitsAtEveryPosition() {
        try (GPT2Model model = tiny(); PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            int batch = 3, length = 12;
            long[] ids = new long[batch * length];
            java.util.SplittableRandom rng = new java.util.SplittableRandom(9);
            for (int i = 0; i < ids.length; i++) ids[i] = rng.nextInt(8);
            Tensor all = Torch.longs(ids, model.device()).view(batch, length);
            float[] full = Torch.toFloats(model.forwardFull(all)); // [batch, length, 8]
            try (SamplingForward f = new SamplingForward(model.weights(), batch, length)) {
                for (int pos = 0; pos < length; pos++) {
                    float[] step = Torch.toFloats(f.step(all.narrow(1, pos, 1).contiguous(), pos).contiguous());
                    for (int b = 0; b < batch; b++) {
                        for (int v = 0; v < 8; v++) {
                            assertThat(step[b * 8 + v]).as("sequence %d position %d token %d", b, pos, v)
                                    .isCloseTo(full[(b * length + pos) * 8 + v], org.assertj.core.data.Offset.offset(1e-4f));
                        }
                    }
                }
            }
        }
    }

    @Test
    void refusesBadSettings() {
        try (GPT2Model draft = tiny()) {
            assertThatThrownBy(() -> new DraftSampler(draft, 4, 20, 0)).hasMessageContaining("--temperature");
            assertThatThrownBy(() -> new DraftSampler(draft, 4, 33, 1.5)).hasMessageContaining("--length");
            assertThatThrownBy(() -> new DraftSampler(draft, 0, 20, 1.5)).hasMessageContaining("--batch");
        }
    }
}

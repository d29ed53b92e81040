package ssd.training.ngram;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
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
        try (GPT2Model draft = tiny()) {
            DraftSampler sampler = new DraftSampler(draft, 16, 20, 1.5);
            NgramFit.Summary s = NgramFit.run(sampler, 1000, 5, new KatzConfig(5, 1, 1), dir.resolve("a.katz"));
            NgramFit.run(new DraftSampler(draft, 16, 20, 1.5), 1000, 5, new KatzConfig(5, 1, 1), dir.resolve("b.katz"));
            assertThat(s.sampledTokens()).isGreaterThanOrEqualTo(1000);
            assertThat(Files.readAllBytes(dir.resolve("a.katz"))).isEqualTo(Files.readAllBytes(dir.resolve("b.katz")));
            KatzTrigram model = KatzTrigramFile.read(dir.resolve("a.katz"));
            assertThat(model.vocabSize()).isEqualTo(8);
            assertThat(model.totalTokens()).isEqualTo(s.sampledTokens() + s.batches() * 16L);
        }
    }

    @Test
    void batchedSamplesFollowTheModelsTemperedDistribution() {
        try (GPT2Model draft = tiny()) {
            // First sampled token after the start token, over many sequences, against softmax(logits / T).
            double temperature = 1.5;
            double[] expected;
            try (Forward eager = Forward.create(draft, ForwardPlan.eagerCpu()); KVCache cache = eager.newCache(1);
                 Logits l = eager.run(cache, new int[]{7}, new int[]{-1})) {
                expected = TargetDistribution.of(l.tensor(), new SamplingConfig(temperature, 0, 0))[0].dense(8);
            }
            long[] counts = new long[8];
            DraftSampler sampler = new DraftSampler(draft, 500, 2, temperature);
            for (int b = 0; b < 8; b++) sampler.sampleBatch(100 + b, seq -> counts[seq[1]]++);
            double chi2 = 0;
            for (int i = 0; i < 8; i++) {
                double e = expected[i] * 4000;
                chi2 += (counts[i] - e) * (counts[i] - e) / e;
            }
            assertThat(chi2).as("chi-square with 7 df (24.32 is the 0.999 quantile)").isLessThan(24.32);
        }
    }

    @Test
    void refusesBadSettings() {
        try (GPT2Model draft = tiny()) {
            assertThatThrownBy(() -> new DraftSampler(draft, 4, 20, 0)).hasMessageContaining("--temperature");
            assertThatThrownBy(() -> new DraftSampler(draft, 4, 33, 1.5)).hasMessageContaining("--length");
        }
    }
}

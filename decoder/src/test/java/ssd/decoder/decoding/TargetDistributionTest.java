package ssd.decoder.decoding;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import ssd.decoder.torch.Torch;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The device definition of the sampling target against an independent host computation of the same maths. */
class TargetDistributionTest {
    /** exp((l - max) / T) over the k largest logits (all when k = 0), normalised; zero elsewhere. In double precision. */
    static double[] hostReference(float[] logits, SamplingConfig sampling) {
        int v = logits.length, k = sampling.topK() == 0 ? v : Math.min(sampling.topK(), v);
        float[] sorted = logits.clone();
        Arrays.sort(sorted);
        float threshold = sorted[v - k];
        double max = sorted[v - 1], sum = 0;
        double[] p = new double[v];
        for (int i = 0; i < v; i++) {
            if (logits[i] >= threshold) {
                p[i] = Math.exp((logits[i] - max) / sampling.temperature());
                sum += p[i];
            }
        }
        for (int i = 0; i < v; i++) p[i] /= sum;
        return p;
    }

    @Test
    void matchesTheHostComputationForEveryRowTemperatureAndK() {
        SplittableRandom rng = new SplittableRandom(3);
        int rows = 5, vocab = 300;
        float[] logits = new float[rows * vocab];
        for (int i = 0; i < logits.length; i++) logits[i] = (float) (rng.nextGaussian() * 3);
        for (SamplingConfig sampling : new SamplingConfig[]{SamplingConfig.topK(50, 1.0, 0), SamplingConfig.topK(7, 0.5, 0),
                SamplingConfig.topK(0, 1.5, 0), SamplingConfig.topK(1000, 2.0, 0)}) {
            SparseDistribution[] device;
            try (PointerScope scope = new PointerScope()) {
                Tensor t = Torch.floats(logits, new long[]{rows, vocab});
                device = TargetDistribution.of(t, sampling);
            }
            assertThat(device).hasSize(rows);
            for (int r = 0; r < rows; r++) {
                double[] want = hostReference(Arrays.copyOfRange(logits, r * vocab, (r + 1) * vocab), sampling);
                double[] got = device[r].dense(vocab);
                int k = sampling.topK() == 0 ? vocab : Math.min(sampling.topK(), vocab);
                assertThat(device[r].size()).isEqualTo(k);
                for (int i = 0; i < vocab; i++) assertThat(got[i]).as("%s row %d token %d", sampling.describe(), r, i).isCloseTo(want[i], within(1e-6));
                for (int j = 1; j < device[r].size(); j++) assertThat(device[r].probs()[j]).isLessThanOrEqualTo(device[r].probs()[j - 1]);
            }
        }
    }

    @Test
    void greedyHasNoSamplingDistribution() {
        try (PointerScope scope = new PointerScope()) {
            Tensor t = Torch.floats(new float[]{1, 2, 3}, new long[]{1, 3});
            assertThatThrownBy(() -> TargetDistribution.of(t, SamplingConfig.greedy())).hasMessageContaining("argmax");
        }
    }

    @Test
    void rejectionResidualsAndDrawsFollowTheirDefinitions() {
        SparseDistribution r = new SparseDistribution(new int[]{4, 9, 2}, new double[]{0.5, 0.3, 0.2});
        SparseDistribution s = new SparseDistribution(new int[]{9, 7}, new double[]{0.6, 0.4});
        SparseDistribution rest = r.minus(s);
        // max(0, r - s) = {4: 0.5, 9: 0, 2: 0.2}, normalised.
        assertThat(rest.prob(4)).isCloseTo(0.5 / 0.7, within(1e-12));
        assertThat(rest.prob(9)).isZero();
        assertThat(rest.prob(2)).isCloseTo(0.2 / 0.7, within(1e-12));
        assertThat(r.minus(SparseDistribution.pointMass(4)).prob(4)).isZero();
        assertThat(SparseDistribution.pointMass(3).minus(SparseDistribution.pointMass(3))).isNull();
        assertThat(r.tokenAt(0.49)).isEqualTo(4);
        assertThat(r.tokenAt(0.5)).isEqualTo(9);
        assertThat(r.tokenAt(0.999999)).isEqualTo(2);
        assertThat(r.tokenAt(1.0)).as("rounding above the total").isEqualTo(2);
    }
}

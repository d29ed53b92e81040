package ssd.training;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.model.GPT2Weights;
import ssd.decoder.torch.Torch;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The padded LM head (used on CUDA) computes exactly the loss and gradients of the unpadded model. */
class ComputeModeTest {
    private static final Device CPU = new Device("cpu");

    private static double lossAndGrads(GPT2Weights masters, ComputeMode mode, Tensor windows, float[][] grads) {
        for (Tensor p : masters.parameters()) if (p.grad().defined()) p.grad().zero_();
        double loss;
        try (PointerScope scope = new PointerScope()) {
            GPT2Weights working = mode.working(masters);
            Tensor l = LanguageModelLoss.meanLoss(new GPT2Model(working), windows, mode, false);
            l.backward();
            loss = l.item_double();
        }
        List<Tensor> ps = masters.parameters();
        for (int i = 0; i < ps.size(); i++) grads[i] = Torch.toFloats(ps.get(i).grad());
        return loss;
    }

    @Test
    void paddedVocabularyGivesTheSameLossAndGradients() {
        GPT2Config c = GPT2Config.of(60, 32, 16, 2, 2);
        try (PointerScope scope = new PointerScope();
             GPT2Weights masters = GPT2Weights.random(c, 3, 0.2, CPU, torch.ScalarType.Float);
             ComputeMode plain = ComputeMode.of(c, ComputePrecision.FP32, CPU, 1);
             ComputeMode padded = ComputeMode.of(c, ComputePrecision.FP32, CPU, 64)) {
            for (Tensor p : masters.parameters()) p.requires_grad_(true);
            assertThat(plain.workingVocab()).isEqualTo(60);
            assertThat(padded.workingVocab()).isEqualTo(64);
            long[] ids = new long[2 * 17];
            for (int i = 0; i < ids.length; i++) ids[i] = (i * 7 + 3) % 60;
            Tensor windows = LanguageModelLoss.windows(ids, 2, 17, CPU);
            int n = masters.parameters().size();
            float[][] g1 = new float[n][], g2 = new float[n][];
            double l1 = lossAndGrads(masters, plain, windows, g1), l2 = lossAndGrads(masters, padded, windows, g2);
            assertThat(l2).isCloseTo(l1, within(1e-6));
            for (int i = 0; i < n; i++) {
                assertThat(g2[i]).hasSameSizeAs(g1[i]); // gradients land in the real 60-row embedding
                for (int j = 0; j < g1[i].length; j++) assertThat(g2[i][j]).isCloseTo(g1[i][j], within(1e-6f));
            }
        }
    }

    @Test
    void bf16WorkingWeightsAreACastOfTheMasters() {
        GPT2Config c = GPT2Config.of(60, 32, 16, 1, 2);
        try (PointerScope scope = new PointerScope();
             GPT2Weights masters = GPT2Weights.random(c, 3, 0.2, CPU, torch.ScalarType.Float);
             ComputeMode mode = ComputeMode.of(c, ComputePrecision.BF16, CPU, 1)) {
            GPT2Weights w = mode.working(masters);
            assertThat(w.scalarType().intern()).isEqualTo(torch.ScalarType.BFloat16);
            assertThat(w.wte().equal(masters.wte().to(torch.ScalarType.BFloat16))).isTrue();
            // FP32 without padding works on the masters themselves: no copy.
            try (ComputeMode fp32 = ComputeMode.of(c, ComputePrecision.FP32, CPU, 1)) {
                assertThat(fp32.working(masters)).isSameAs(masters);
            }
        }
    }
}

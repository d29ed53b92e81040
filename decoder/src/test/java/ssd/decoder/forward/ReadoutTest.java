package ssd.decoder.forward;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import ssd.decoder.torch.Torch;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The chunked top-k of wide rows against torch.topk, and the readouts' layout. */
class ReadoutTest {
    @Test
    void chunkedLargestEqualsTopkOnVocabularyWideRows() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int[] shape : new int[][]{{1, 50257}, {3, 50257}, {2, 50304}, {5, 20011}}) {
            for (int k : new int[]{1, 32, 50}) {
                float[] values = new float[shape[0] * shape[1]];
                for (int i = 0; i < values.length; i++) values[i] = (float) (rng.nextGaussian() * 3);
                try (PointerScope scope = new PointerScope()) {
                    Tensor x = Torch.floats(values, new long[]{shape[0], shape[1]});
                    Tensor[] chunked = Readout.Top.largest(x, k, Readout.Top.CHUNKS);
                    T_TensorTensor_T plain = x.topk(k, 1, true, true);
                    String what = Arrays.toString(shape) + " k=" + k;
                    assertThat(Torch.toFloats(chunked[0])).as(what).containsExactly(Torch.toFloats(plain.get0()));
                    assertThat(Torch.toLongs(chunked[1])).as(what).containsExactly(Torch.toLongs(plain.get1()));
                }
            }
        }
    }

    @Test
    void narrowRowsAndLargeKTakeTorchTopkItself() {
        try (PointerScope scope = new PointerScope()) {
            Tensor x = Torch.floats(new float[]{1, 5, 3, 5.5f, -2, 0}, new long[]{1, 6});
            Tensor[] top = Readout.Top.largest(x, 3, Readout.Top.CHUNKS);
            assertThat(Torch.toFloats(top[0])).containsExactly(5.5f, 5, 3);
            assertThat(Torch.toLongs(top[1])).containsExactly(3, 1, 2);
        }
    }

    @Test
    void topReadoutRowsHoldProbabilitiesThenIdsAndSumToOneOverTheKept() {
        SplittableRandom rng = new SplittableRandom(5);
        float[] values = new float[2 * 30000];
        for (int i = 0; i < values.length; i++) values[i] = (float) rng.nextGaussian();
        try (PointerScope scope = new PointerScope()) {
            Tensor x = Torch.floats(values, new long[]{2, 30000});
            Readout r = Readout.top(0.7, 40, 40);
            float[] out = Torch.toFloats(r.apply(x));
            assertThat(r.columns(30000)).isEqualTo(80);
            for (int row = 0; row < 2; row++) {
                double sum = 0;
                for (int j = 0; j < 40; j++) {
                    sum += out[row * 80 + j];
                    int id = (int) out[row * 80 + 40 + j];
                    if (j > 0) assertThat(out[row * 80 + j]).isLessThanOrEqualTo(out[row * 80 + j - 1]);
                    assertThat(id).isBetween(0, 29999);
                }
                assertThat(sum).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-5));
            }
        }
    }
}

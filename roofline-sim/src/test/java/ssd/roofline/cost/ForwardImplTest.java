package ssd.roofline.cost;

import org.junit.jupiter.api.Test;
import ssd.common.Dtype;
import ssd.roofline.ModelShape;
import ssd.roofline.ModelShapes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ForwardImplTest {
    private static final ModelShape LARGE = ModelShapes.preset("gpt2-large");

    @Test
    void modeTagsPickTheKernelSet() {
        assertThat(ForwardImpl.forDevice("NVIDIA H200 [cuda-graph+fused]")).isEqualTo(ForwardImpl.STATIC_FUSED);
        assertThat(ForwardImpl.forDevice("NVIDIA H200 [cuda-graph]")).isEqualTo(ForwardImpl.STATIC_ATEN);
        assertThat(ForwardImpl.forDevice("NVIDIA H200 [static]")).isEqualTo(ForwardImpl.STATIC_ATEN);
        assertThat(ForwardImpl.forDevice("NVIDIA H200")).isEqualTo(ForwardImpl.EAGER_ATEN);
        assertThat(ForwardImpl.forDevice("rtx4090")).isEqualTo(ForwardImpl.EAGER_ATEN);
    }

    @Test
    void fixedShapeModesRunTheBucket() {
        int[][] cases = {{1, 1}, {2, 2}, {3, 4}, {5, 8}, {17, 32}, {32, 32}, {33, 64}, {100, 128}, {200, 200}};
        for (int[] c : cases) {
            assertThat(ForwardImpl.STATIC_FUSED.rows(c[0])).as("rows for %d", c[0]).isEqualTo(c[1]);
            assertThat(ForwardImpl.EAGER_ATEN.rows(c[0])).isEqualTo(c[0]);
        }
        assertThat(ForwardImpl.STATIC_FUSED.forward(LARGE, Dtype.FP16, 128, 30).flops())
                .isEqualTo(ForwardImpl.STATIC_FUSED.forward(LARGE, Dtype.FP16, 128, 32).flops());
    }

    @Test
    void fusedForwardsLaunchFiveOrSevenKernelsPerLayerAsTheDecoderDoes() {
        // Counted in Nsight Compute on the H200 (results/h200/tree-linears/ncu-1row-*, ncu-64rows-3022a57-*): 183 and 257.
        assertThat(FusedForwardCostModel.forward(LARGE, Dtype.FP16, 128, 1, 32).kernelCount()).isEqualTo(5 * 36 + 3);
        assertThat(FusedForwardCostModel.forward(LARGE, Dtype.FP16, 128, 64, 32).kernelCount()).isEqualTo(7 * 36 + 5);
        assertThat(ForwardImpl.STATIC_FUSED.forward(LARGE, Dtype.FP16, 128, 128).kernelCount())
                .isEqualTo(ForwardCostModel.forward(LARGE, Dtype.FP16, 128, 128).kernelCount());
        assertThat(ForwardImpl.STATIC_FUSED.forward(LARGE, Dtype.FP32, 128, 1).kernelCount())
                .isEqualTo(ForwardCostModel.forward(LARGE, Dtype.FP32, 128, 1).kernelCount());
    }

    @Test
    void everyKernelSetStreamsEachWeightOnceAndTheFusedOnesMoveFewerActivations() {
        for (int rows : new int[]{1, 8, 16, 32, 64}) {
            Workload eager = ForwardCostModel.forward(LARGE, Dtype.FP16, 128, rows);
            Workload fused = FusedForwardCostModel.forward(LARGE, Dtype.FP16, 128, rows, 32);
            assertThat(fused.weightBytes()).as("weights at %d rows", rows).isEqualTo(eager.weightBytes());
            long fusedOther = fused.activationBytes() + fused.kvBytes(), eagerOther = eager.activationBytes() + eager.kvBytes();
            long logitsWidened = rows * (long) LARGE.vocabSize() * (4 + 4 - 2 - 2); // float32 logits written and read
            if (rows < 32) {
                assertThat(fusedOther).as("other bytes at %d rows", rows).isLessThan(eagerOther + logitsWidened);
            } else {
                // cuBLAS linears: out-proj and proj write 4 float32 partials that the next layer norm reads.
                long partials = 2L * 2 * 36 * FusedForwardCostModel.SPLITS * rows * LARGE.nEmbd() * 4;
                assertThat(fusedOther).as("other bytes at %d rows", rows).isGreaterThan(partials).isLessThan(eagerOther + partials);
            }
            // Same matrix work: the linears and attention (FLOPs differ only in elementwise counts).
            assertThat((double) fused.flops() / eager.flops()).isBetween(0.99, 1.01);
        }
    }

    @Test
    void refusesWhatTheFusedKernelsDoNotRun() {
        assertThatThrownBy(() -> FusedForwardCostModel.forward(LARGE, Dtype.FP16, 0, 65, 32)).hasMessageContaining("1..64 rows");
        assertThatThrownBy(() -> FusedForwardCostModel.forward(LARGE, Dtype.FP32, 0, 1, 32)).hasMessageContaining("fp32");
    }
}

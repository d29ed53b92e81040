package ssd.decoder.forward;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How the fused forward shapes its tree-batch linear launches (pure arithmetic, checked here on the CPU; the kernels
 * themselves are checked on the GPU by tools/probes/gpu/fused_kernels.py and the GPU tests). An H200/H100 has 132
 * multiprocessors.
 */
class FusedLaunchShapesTest {
    private static final int H200_SMS = 132;
    private static final int HOPPER_MAX_SHARED = 232_448;

    @Test
    void cublasRunsTheLinearsOfTreeBatchesFromTheChosenRowCountOnly() {
        assertThat(FusedOptions.defaults().cublasLinearsFromRows()).as("the default").isEqualTo(32);
        assertThat(FusedForward.usesCublasLinears(64, 64)).isTrue();
        assertThat(FusedForward.usesCublasLinears(48, 64)).as("48 rows pad to the 64-row tiles").isTrue();
        assertThat(FusedForward.usesCublasLinears(32, 64)).isFalse();
        assertThat(FusedForward.usesCublasLinears(16, 16)).isTrue();
        assertThat(FusedForward.usesCublasLinears(8, 1)).as("one row tile keeps its fused layer norm and epilogues").isFalse();
        assertThat(FusedForward.usesCublasLinears(1, 1)).isFalse();
        assertThat(FusedForward.usesCublasLinears(64, 65)).as("above 64: never").isFalse();
    }

    @Test
    void fusedOptionsAreCheckedAndNameTheirFlags() {
        assertThat(FusedOptions.ClusterLinears.parse(" All ")).isEqualTo(FusedOptions.ClusterLinears.ALL);
        assertThatThrownBy(() -> FusedOptions.ClusterLinears.parse("some"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--fused-cluster-linears").hasMessageContaining("'some'");
        assertThatThrownBy(() -> new FusedOptions(FusedOptions.ClusterLinears.NARROW, 0, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--fused-cublas-from");
    }

    @Test
    void narrowMatricesSplitKOverClustersAndWideOnesDoNot() {
        FusedOptions.ClusterLinears narrow = FusedOptions.ClusterLinears.NARROW;
        assertThat(narrow.uses("linear_residual", 1280, H200_SMS)).as("GPT-2-L out/proj, 80 tiles of 16").isTrue();
        assertThat(narrow.uses("linear_qkv", 3840, H200_SMS)).as("GPT-2-L qkv, 240 tiles").isFalse();
        assertThat(narrow.uses("linear_gelu", 5120, H200_SMS)).isFalse();
        assertThat(narrow.uses("linear_logits", 768, H200_SMS)).as("never the LM head").isFalse();
        assertThat(FusedOptions.ClusterLinears.ALL.uses("linear_qkv", 3840, H200_SMS)).isTrue();
        assertThat(FusedOptions.ClusterLinears.ALL.uses("linear_logits", 50257, H200_SMS)).isFalse();
        assertThat(FusedOptions.ClusterLinears.NONE.uses("linear_residual", 1280, H200_SMS)).isFalse();
    }

    @Test
    void splitsPutEachWarpsWeightsInFlightAtOnceWithinOneWaveAndTheClusterLimit() {
        // 64 rows (8 token tiles): 5 steps per warp, 2 warps per k slice -> 10 k steps of 32 per block.
        assertThat(FusedForward.rowSplits(8, 1280, 1280, H200_SMS)).as("out-proj: 40 steps").isEqualTo(4);
        assertThat(FusedForward.rowSplits(8, 1280, 5120, H200_SMS)).as("MLP proj: 160 steps, capped at 8").isEqualTo(8);
        assertThat(FusedForward.rowSplits(8, 5120, 1280, H200_SMS)).as("fc: 80 tiles of 64, one wave of 264 blocks").isEqualTo(3);
        assertThat(FusedForward.rowSplits(2, 768, 256, H200_SMS)).as("8 steps, one block's worth").isEqualTo(1);
        assertThat(FusedForward.rowSplits(8, 64, 64, 1)).as("never more blocks than k steps").isEqualTo(1);
    }

    @Test
    void sharedMemoryHoldsTheSliceThePartialSumsAndAnInboxCoveringEveryOutput() {
        for (int tiles : new int[]{2, 4, 8}) {
            for (int k : new int[]{256, 768, 1280, 3072, 5120}) {
                for (int splits = 1; splits <= 8; splits++) {
                    int rows = 8 * tiles, bytes = FusedForward.rowsSharedBytes(tiles, k, splits);
                    int most = (k / 32 + splits - 1) / splits;
                    int front = Math.max(rows * 32 * most * 2, 2 * 64 * (rows + 1) * 4);  // slice, then partial sums
                    assertThat(bytes).as("slice of %d steps x %d rows or partial sums, then an inbox of all %d x 64 sums",
                            most, rows, rows).isGreaterThanOrEqualTo(front + 64 * rows * 4);
                    assertThat(bytes % 16).isZero();
                }
            }
        }
        // The launches the GPT-2-L forward makes at 64 rows fit two blocks per multiprocessor (228 KiB each).
        assertThat(2 * (FusedForward.rowsSharedBytes(8, 1280, 4) + 1024)).isLessThanOrEqualTo(233_472);
        assertThat(2 * (FusedForward.rowsSharedBytes(8, 5120, 8) + 1024)).isLessThanOrEqualTo(233_472);
        assertThat(FusedForward.rowsSharedBytes(8, 5120, 1)).as("too big for one block: the forward falls back")
                .isGreaterThan(HOPPER_MAX_SHARED);
    }

    @Test
    void kernelNamesFollowTheSource() {
        assertThat(FusedForward.rowsKernelName("linear_residual", 8)).isEqualTo("linear_rows_residual_8");
        assertThat(FusedForward.kernelNames(64)).contains("linear_rows_qkv_2", "linear_rows_residual_8", "attention_rows_64")
                .as("the LM head never splits K over a cluster").doesNotContain("linear_rows_logits_8");
    }
}

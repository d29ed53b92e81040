package ssd.roofline.ncu;

import org.junit.jupiter.api.Test;
import ssd.common.Dtype;
import ssd.roofline.ModelShape;
import ssd.roofline.cost.ForwardImpl;
import ssd.roofline.cost.Workload;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Parsing and comparison on a SYNTHETIC Nsight Compute CSV (written by hand from the metric names, in the layout ncu
 * prints: a fused-kernel 2x128 model, forwards of 1 and 64 rows between marker kernels, set-up kernels and ncu's
 * notes around them). Its counters are the cost model's numbers perturbed by a few percent, so it passes; the tests
 * below also make it fail.
 */
class NcuIntensityTest {
    private static final ModelShape SHAPE = new ModelShape(2, 128, 4, 50257, 1024);

    private static List<NcuKernel> sample() throws URISyntaxException {
        return NcuCsv.read(Path.of(NcuIntensityTest.class.getResource("synthetic-ncu-fused-2x128-rows1-64.csv").toURI()));
    }

    private static Workload predicted(int rows) {
        return ForwardImpl.STATIC_FUSED.forward(SHAPE, Dtype.FP16, 128, rows);
    }

    @Test
    void parsesEveryKernelWithItsMetricsInBaseUnits() throws Exception {
        List<NcuKernel> kernels = sample();
        assertThat(kernels.get(0).name()).startsWith("void at::native::(anonymous namespace)::distribution");
        assertThat(kernels.get(0).metric(NcuMetrics.DRAM_WRITE)).isEqualTo(13_000_000.0); // "13,000,000" byte
        assertThat(kernels.get(0).metrics()).hasSize(NcuMetrics.FULL.size());
        assertThat(kernels.stream().filter(k -> KernelGroup.isMarker(k.name()))).hasSize(4);
    }

    @Test
    void splitsTheForwardsAtTheMarkersAndGroupsTheirKernels() throws Exception {
        List<List<NcuKernel>> forwards = ProfiledForwards.split(sample(), 2, "sample");
        assertThat(forwards.get(0)).hasSize(predicted(1).kernelCount());
        assertThat(forwards.get(1)).hasSize(predicted(64).kernelCount());
        List<KernelGroup> g = KernelGroup.ofForward(forwards.get(1));
        // The cuBLAS LM head GEMM is not named as such: the forward's last GEMM is taken for it.
        assertThat(forwards.get(1).get(g.indexOf(KernelGroup.LM_HEAD)).name()).startsWith("nvjet_sm90_hsh_384x64");
        assertThat(g.stream().filter(x -> x == KernelGroup.LINEARS)).hasSize(4 * SHAPE.nLayer());
        assertThat(g.stream().filter(x -> x == KernelGroup.ATTENTION)).hasSize(SHAPE.nLayer());
    }

    @Test
    void measuredIntensityIsWithinTargetOfThePredictedOneGroupByGroup() throws Exception {
        List<List<NcuKernel>> forwards = ProfiledForwards.split(sample(), 2, "sample");
        int[] rows = {1, 64};
        for (int i = 0; i < 2; i++) {
            List<IntensityRow> cmp = IntensityComparison.compare(forwards.get(i), predicted(rows[i]), 1);
            IntensityRow total = cmp.get(cmp.size() - 1);
            assertThat(total.group()).isEqualTo("total");
            assertThat(total.predictedFlops()).isEqualTo((double) predicted(rows[i]).flops());
            assertThat(total.predictedBytes()).isEqualTo((double) predicted(rows[i]).bytes());
            assertThat(Math.abs(total.intensityError())).as("rows %d", rows[i]).isLessThan(0.15);
            assertThat(IntensityComparison.passes(total, 0.15)).isTrue();
            for (IntensityRow r : cmp) if (r.predictedBytes() > 0) assertThat(Math.abs(r.intensityError())).as(r.group()).isLessThan(0.15);
        }
        // At 1 row the tensor cores execute 8x the useful multiply-adds of the linears (16x8 tiles, 1 real row).
        IntensityRow linears = IntensityComparison.compare(forwards.get(0), predicted(1), 1).get(0);
        assertThat(linears.group()).isEqualTo("linears");
        assertThat(linears.executedOverModelFlops()).isCloseTo(8 * 0.97 + 2.5 * 0.015, within(0.001)); // other FLOPs: 2 FFMA + FADD + FMUL, FADD = FMUL = FFMA / 4
    }

    @Test
    void twiceTheBytesOfTheLmHeadFailsTheCheck() throws Exception {
        List<NcuKernel> forward = ProfiledForwards.split(sample(), 2, "sample").get(0);
        List<NcuKernel> doubled = new ArrayList<>();
        for (NcuKernel k : forward) {
            if (!k.name().startsWith("linear_logits")) {
                doubled.add(k);
                continue;
            }
            Map<String, Double> m = new HashMap<>(k.metrics());
            m.put(NcuMetrics.DRAM_READ, 2 * m.get(NcuMetrics.DRAM_READ));
            doubled.add(new NcuKernel(k.id(), k.name(), m));
        }
        List<IntensityRow> cmp = IntensityComparison.compare(doubled, predicted(1), 1);
        assertThat(IntensityComparison.passes(cmp.get(cmp.size() - 1), 0.15)).isFalse();
    }

    @Test
    void countersThatSawHalfTheModelsWorkFailTheCheck() throws Exception {
        List<NcuKernel> forward = ProfiledForwards.split(sample(), 2, "sample").get(1);
        // Read as if each tensor op were half a FLOP: executed FLOPs fall below the model's useful ones.
        List<IntensityRow> cmp = IntensityComparison.compare(forward, predicted(64), 0.5);
        IntensityRow total = cmp.get(cmp.size() - 1);
        assertThat(total.executedOverModelFlops()).isLessThan(0.85);
        assertThat(IntensityComparison.passes(total, 0.15)).isFalse();
    }

    @Test
    void badInputIsOneLineNamingWhatIsWrong() {
        assertThatThrownBy(() -> NcuCsv.parse(List.of("==PROF== Connected", "no csv here"), "run.log"))
                .hasMessageStartingWith("run.log: no Nsight Compute CSV header");
        String header = "\"ID\",\"Kernel Name\",\"Metric Name\",\"Metric Unit\",\"Metric Value\"";
        assertThatThrownBy(() -> NcuCsv.parse(List.of(header, "\"0\",\"k\",\"dram__bytes_read.sum\",\"byte\",\"n/a\""), "run.log"))
                .hasMessage("run.log line 2: metric value must be a number, got 'n/a'");
        List<NcuKernel> ks = NcuCsv.parse(List.of(header, "program output line", "\"0\",\"k\",\"dram__bytes_read.sum\",\"Mbyte\",\"1.5\""), "run.log");
        assertThat(ks.get(0).metric(NcuMetrics.DRAM_READ)).isEqualTo(1.5e6);
        assertThatThrownBy(() -> ProfiledForwards.split(ks, 1, "run.log")).hasMessageContaining("expected 2 marker kernels");
    }
}

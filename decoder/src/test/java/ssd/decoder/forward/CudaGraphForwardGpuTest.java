package ssd.decoder.forward;

import org.bytedeco.pytorch.Device;
import ssd.decoder.cache.KVCache;
import ssd.decoder.cache.KVStorage;
import ssd.common.Dtype;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.model.GPT2Weights;
import ssd.decoder.torch.Torch;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CUDA-graph replay against eager on a GPU: prefill, a 60-step decode (one graph replayed as the cache grows), random
 * trees with commit, trees grown over several forwards, and a decode on a pooled storage whose graphs were captured
 * for an earlier cache; for ATen's kernels in fp32 and fp16, and for the fused fp16 kernels ({@link FusedForward}). Run with {@code mvn -Pgpu-test} (or {@code ssd bench-forward --cuda-graphs --check}) on a
 * CUDA host; skipped, with a notice, elsewhere.
 */
@Tag("gpu")
class CudaGraphForwardGpuTest {
    /** 4 layers, width 256, context 256: big enough for the scenarios, small enough to capture in a blink. */
    static final GPT2Config SHAPE = GPT2Config.of(5000, 256, 256, 4, 4);

    /** Precision and kernels of the fixed-shape forwards (fp32 always runs ATen's; fp16 runs either). */
    enum Precision {
        FP32(torch.ScalarType.Float, ForwardKernels.ATEN, 1e-3f, 1e-5f),
        FP16(torch.ScalarType.Half, ForwardKernels.ATEN, 5e-2f, 2e-3f),
        FP16_FUSED(torch.ScalarType.Half, ForwardKernels.FUSED, 5e-2f, 2e-3f);

        final torch.ScalarType type;
        final ForwardKernels kernels;
        /** Graph vs the dynamic eager path (other kernels: full-width masked attention). */
        final float vsEager;
        /** Graph vs the same static forward run eagerly (the same kernels). */
        final float vsStatic;

        Precision(torch.ScalarType type, ForwardKernels kernels, float vsEager, float vsStatic) {
            this.type = type;
            this.kernels = kernels;
            this.vsEager = vsEager;
            this.vsStatic = vsStatic;
        }
    }

    /** Per test rather than per class, so surefire lists each one as skipped with this reason. */
    @BeforeEach
    void needsCuda() {
        Assumptions.assumeTrue(torch.cuda_is_available(),
                "CUDA-graph tests skipped: libtorch sees no CUDA device (CPU natives or no GPU); run them on a GPU host");
    }

    static GPT2Model model(Precision p) {
        return new GPT2Model(GPT2Weights.random(SHAPE, 21, 0.1, new Device("cuda:0"), p.type));
    }

    static Forward forward(GPT2Model m, Precision p, ForwardMode mode) {
        Dtype dtype = Torch.dtypeOf(m.weights().wte());
        Forward f = Forward.create(m, new ForwardPlan(mode, p.kernels, FusedOptions.defaults(), dtype, "cuda", 0));
        if (mode != ForwardMode.EAGER) {
            // A fused variant that silently ran ATen would test nothing new.
            assertThat(f.fusedKernels(1)).as("fused kernels for one row: %s", f.pathFor(1)).isEqualTo(p.kernels == ForwardKernels.FUSED);
        }
        return f;
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void graphReplayMatchesTheEagerPath(Precision p) {
        try (GPT2Model m = model(p); Forward e = forward(m, p, ForwardMode.EAGER); Forward g = forward(m, p, ForwardMode.CUDA_GRAPH)) {
            assertAllPassed(ForwardModeCheck.run(e, g, p.vsEager, 5));
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void graphReplayMatchesTheStaticForwardItCaptured(Precision p) {
        try (GPT2Model m = model(p); Forward s = forward(m, p, ForwardMode.STATIC); Forward g = forward(m, p, ForwardMode.CUDA_GRAPH)) {
            assertAllPassed(ForwardModeCheck.run(s, g, p.vsStatic, 6));
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void graphsAreCapturedOncePerBucketAndReusedByLaterCaches(Precision p) {
        try (GPT2Model m = model(p); Forward g = forward(m, p, ForwardMode.CUDA_GRAPH)) {
            KVStorage first;
            try (KVCache c = g.newCache(8)) {
                first = c.storage();
                g.run(c, new int[]{1, 2, 3}, GPT2Model.chain(3, -1)).close(); // bucket 4
                c.commit(new int[]{0, 1, 2});
                for (int t = 0; t < 5; t++) {
                    g.run(c, new int[]{t}, new int[]{-1}).close(); // bucket 1
                    c.commit(new int[]{0});
                }
                // A static forward and its graph per bucket.
                assertThat(first.attachmentCount()).isEqualTo(4);
            }
            try (KVCache again = g.newCache(8)) {
                assertThat(again.storage()).isSameAs(first);
                long before = g.fixedShapeRuns();
                g.run(again, new int[]{7}, new int[]{-1}).close();
                assertThat(first.attachmentCount()).isEqualTo(4);
                assertThat(g.fixedShapeRuns() - before).isEqualTo(1);
            }
        }
    }

    /**
     * Readouts replayed as graphs after the forward's graph, read back through pinned memory, against the same
     * readouts computed eagerly on the static path's logits: the same probabilities, and the same tokens wherever the
     * probabilities do not tie within the tolerance.
     */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void graphReadoutsMatchTheStaticPath(Precision p) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        float tol = 10 * p.vsStatic;
        try (GPT2Model m = model(p); Forward s = forward(m, p, ForwardMode.STATIC); Forward g = forward(m, p, ForwardMode.CUDA_GRAPH)) {
            int[] prefix = rng.ints(40, 0, SHAPE.vocabSize()).toArray();
            for (int n : new int[]{1, 7, 32, 64}) {
                int[] tokens = rng.ints(n, 0, SHAPE.vocabSize()).toArray();
                int[] parents = ForwardModeCheck.randomTree(rng, n, 3);
                for (Readout r : List.of(Readout.top(1.0, 0, 32), Readout.top(0.8, 50, 50), Readout.argmax())) {
                    ReadoutRows want = readOnce(s, prefix, tokens, parents, r), got = readOnce(g, prefix, tokens, parents, r);
                    ReadoutRows ranks = readOnce(s, prefix, tokens, parents, Readout.top(1.0, 0, 2));
                    assertThat(got.columns()).isEqualTo(want.columns());
                    for (int row = 0; row < n; row++) {
                        if (r instanceof Readout.Argmax) {
                            boolean tie = ranks.value(row, 0) - ranks.value(row, 1) < tol;
                            if (!tie) assertThat(got.token(row, 0)).as("argmax n=%d row %d", n, row).isEqualTo(want.token(row, 0));
                            continue;
                        }
                        int w = got.columns() / 2;
                        for (int j = 0; j < w; j++) {
                            assertThat((double) got.value(row, j)).as("%s n=%d row %d rank %d", r.key(), n, row, j)
                                    .isCloseTo(want.value(row, j), org.assertj.core.api.Assertions.within((double) tol));
                            boolean tie = (j > 0 && want.value(row, j - 1) - want.value(row, j) < tol)
                                    || (j + 1 < w && want.value(row, j) - want.value(row, j + 1) < tol);
                            if (!tie) assertThat(got.token(row, w + j)).as("%s n=%d row %d rank %d", r.key(), n, row, j).isEqualTo(want.token(row, w + j));
                        }
                    }
                }
            }
        }
    }

    private static ReadoutRows readOnce(Forward f, int[] prefix, int[] tokens, int[] parents, Readout r) {
        try (KVCache c = f.newCache(64)) {
            f.score(c, prefix, GPT2Model.chain(prefix.length, -1), Readout.argmax());
            c.commit(KVCache.firstPending(prefix.length));
            return f.score(c, tokens, parents, r);
        }
    }

    private static void assertAllPassed(List<ForwardModeCheck.Outcome> outcomes) {
        for (ForwardModeCheck.Outcome o : outcomes) {
            System.out.println(o.describe());
            assertThat(o.staticForwards()).as("%s replayed a graph for every forward", o.scenario()).isEqualTo(o.forwards());
            assertThat(o.passed()).as(o.describe()).isTrue();
        }
    }
}

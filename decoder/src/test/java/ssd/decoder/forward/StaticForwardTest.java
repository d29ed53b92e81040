package ssd.decoder.forward;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import ssd.decoder.cache.KVCache;
import ssd.decoder.cache.KVStorage;
import ssd.common.Dtype;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.model.TestModels;
import ssd.decoder.torch.Torch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fixed-shape (STATIC) forward, the formulation CUDA graphs capture, against the dynamic eager path on the CPU. */
class StaticForwardTest {
    static GPT2Model model;
    static Forward eager, fixed;
    static final int V = TestModels.TINY.vocabSize();

    @BeforeAll
    static void load() {
        model = TestModels.random(TestModels.TINY, 5, 0.2);
        eager = TestModels.eager(model);
        fixed = TestModels.forward(model, ForwardMode.STATIC);
    }

    @AfterAll
    static void close() {
        fixed.close();
        model.close();
    }

    @Test
    void staticModeMatchesEagerInEveryScenario() {
        List<ForwardModeCheck.Outcome> outcomes = ForwardModeCheck.run(eager, fixed, 1e-4f, 17);
        assertThat(outcomes).hasSize(7);
        for (ForwardModeCheck.Outcome o : outcomes) {
            assertThat(o.forwards()).as(o.scenario()).isPositive();
            assertThat(o.staticForwards()).as("%s ran every forward on the static path", o.scenario()).isEqualTo(o.forwards());
            assertThat(o.maxAbsDiff()).as(o.describe()).isLessThan(1e-4f);
            assertThat(o.argmaxMismatches() + o.nearTies()).as(o.describe()).isZero();
        }
        assertThat(outcomes.stream().mapToInt(ForwardModeCheck.Outcome::forwards).sum()).isGreaterThan(100);
    }

    @Test
    void staticTreeMatchesTheSequentialFullForwardOfEveryPath() {
        SplittableRandom rng = new SplittableRandom(42);
        int[] prefix = rng.ints(9, 0, V).toArray();
        int n = 45; // bucket 64: 19 padding rows
        int[] parents = ForwardModeCheck.randomTree(rng, n, 4);
        int[] tokens = rng.ints(n, 0, V).toArray();
        long runsBefore = fixed.fixedShapeRuns();
        try (KVCache cache = fixed.newCache(64)) {
            fixed.run(cache, prefix, GPT2Model.chain(prefix.length, -1)).close();
            cache.commit(KVCache.firstPending(prefix.length));
            try (Logits tree = fixed.run(cache, tokens, parents)) {
                assertThat(tree.rows()).isEqualTo(n);
                for (int node = 0; node < n; node++) {
                    int[] seq = TreeForwardTest.concat(prefix, tokens, TreeForwardTest.pathTo(parents, node));
                    assertThat(TestModels.maxAbsDiff(tree.row(node), TestModels.referenceLastLogits(model, seq))).as("node %d", node).isLessThan(1e-4f);
                }
            }
            int[] path = ForwardModeCheck.deepestPath(parents);
            cache.commit(path);
            int[] committed = TreeForwardTest.concat(prefix, tokens, path);
            for (int step = 0; step < 5; step++) {
                committed = Arrays.copyOf(committed, committed.length + 1);
                committed[committed.length - 1] = rng.nextInt(V);
                try (Logits l = fixed.run(cache, new int[]{committed[committed.length - 1]}, new int[]{-1})) {
                    cache.commit(new int[]{0});
                    assertThat(TestModels.maxAbsDiff(l.row(0), TestModels.referenceLastLogits(model, committed))).isLessThan(1e-4f);
                }
            }
            assertThat(fixed.fixedShapeRuns() - runsBefore).isEqualTo(7);
        }
    }

    @Test
    void paddingRowsNeverOverwriteCommittedOrPendingKeysAndValues() {
        SplittableRandom rng = new SplittableRandom(8);
        try (KVCache reference = eager.newCache(32); KVCache tested = fixed.newCache(32)) {
            int[] prefix = rng.ints(11, 0, V).toArray();
            eager.run(reference, prefix, GPT2Model.chain(prefix.length, -1)).close();
            fixed.run(tested, prefix, GPT2Model.chain(prefix.length, -1)).close();
            reference.commit(KVCache.firstPending(prefix.length));
            tested.commit(KVCache.firstPending(prefix.length));
            // 3, 5 and 9 new nodes: buckets 4, 8 and 16, each with padding rows, pending nodes accumulating.
            int[][] batches = {{-1, 0, 0}, {1, 1, 2, 2, 2}, {3, 4, 5, 6, 7, 3, 4, 5, 6}};
            for (int[] parents : batches) {
                int[] tokens = rng.ints(parents.length, 0, V).toArray();
                eager.run(reference, tokens, parents).close();
                fixed.run(tested, tokens, parents).close();
            }
            int used = reference.length() + reference.pendingCount();
            assertThat(used).isEqualTo(11 + 17);
            try (PointerScope scope = new PointerScope()) {
                for (int l = 0; l < TestModels.TINY.nLayer(); l++) {
                    for (boolean keys : new boolean[]{true, false}) {
                        Tensor a = (keys ? reference.keys(l) : reference.values(l)).narrow(2, 0, used);
                        Tensor b = (keys ? tested.keys(l) : tested.values(l)).narrow(2, 0, used);
                        assertThat(a.sub(b).abs().max().item_float()).as("layer %d %s", l, keys ? "keys" : "values").isLessThan(1e-5f);
                    }
                }
            }
        }
    }

    @Test
    void prefillsBeyondTheLargestBucketTakeTheDynamicPathAndDecodingContinuesStatically() {
        GPT2Config longer = GPT2Config.of(97, 256, 64, 2, 4);
        try (GPT2Model m = TestModels.random(longer, 3, 0.2); Forward e = TestModels.eager(m); Forward f = TestModels.forward(m, ForwardMode.STATIC);
             KVCache reference = e.newCache(4); KVCache tested = f.newCache(4)) {
            int[] prompt = new SplittableRandom(4).ints(StaticForward.MAX_BUCKET + 22, 0, 97).toArray();
            try (Logits a = e.run(reference, prompt, GPT2Model.chain(prompt.length, -1));
                 Logits b = f.run(tested, prompt, GPT2Model.chain(prompt.length, -1))) {
                assertThat(TestModels.maxAbsDiff(a.row(prompt.length - 1), b.row(prompt.length - 1))).isZero();
            }
            assertThat(f.fixedShapeRuns()).isZero();
            reference.commit(KVCache.firstPending(prompt.length));
            tested.commit(KVCache.firstPending(prompt.length));
            for (int t = 0; t < 10; t++) {
                try (Logits a = e.run(reference, new int[]{t}, new int[]{-1}); Logits b = f.run(tested, new int[]{t}, new int[]{-1})) {
                    assertThat(TestModels.maxAbsDiff(a.row(0), b.row(0))).isLessThan(1e-4f);
                    assertThat(b.argmax(0)).isEqualTo(a.argmax(0));
                }
                reference.commit(new int[]{0});
                tested.commit(new int[]{0});
            }
            assertThat(f.fixedShapeRuns()).isEqualTo(10);
        }
    }

    @Test
    void logitsSurviveTheNextForwardOfTheSameBucket() {
        try (KVCache cache = fixed.newCache(8)) {
            Logits first = fixed.run(cache, new int[]{1, 2, 3}, GPT2Model.chain(3, -1));
            float[] before = Torch.toFloats(first.tensor());
            fixed.run(cache, new int[]{4, 5, 6}, GPT2Model.chain(3, 2)).close();
            assertThat(Torch.toFloats(first.tensor())).containsExactly(before);
            first.close();
        }
    }

    @Test
    void fixedShapeCachesShareAPoolOfStoragesAndEagerCachesDoNot() {
        KVStorage first;
        try (KVCache c = fixed.newCache(6)) {
            first = c.storage();
            fixed.run(c, new int[]{1, 2}, GPT2Model.chain(2, -1)).close();
        }
        try (KVCache again = fixed.newCache(8); KVCache second = fixed.newCache(8)) {
            assertThat(again.storage()).as("pending room 6 and 8 share the rounded storage").isSameAs(first);
            assertThat(second.storage()).isNotSameAs(first);
            assertThat(again.length()).isZero();
            assertThat(again.pendingCount()).isZero();
        }
        KVStorage eagerStorage;
        try (KVCache e = eager.newCache(8)) {
            eagerStorage = e.storage();
            assertThat(eagerStorage.paddingSlots()).isZero();
            assertThat(e.byteCount()).isEqualTo(2L * TestModels.TINY.nLayer() * TestModels.TINY.nEmbd() * (128 + 8) * 4);
        }
        try (KVCache e = eager.newCache(8)) {
            assertThat(e.storage()).isNotSameAs(eagerStorage);
        }
    }

    @Test
    void warmUpBuildsEveryBucketSoLaterForwardsBuildNothing() {
        try (Forward f = TestModels.forward(model, ForwardMode.STATIC)) {
            f.warmUp(8, 128, List.of());
            int built;
            try (KVCache c = f.newCache(8)) {
                built = c.storage().attachmentCount();
                assertThat(built).as("buckets 1..128 on the storage of pending room 8").isEqualTo(8);
                for (int n : new int[]{1, 3, 17, 100}) {
                    f.run(c, new int[n], GPT2Model.chain(n, -1)).close();
                    c.discardPending();
                }
                assertThat(c.storage().attachmentCount()).isEqualTo(built);
            }
        }
    }

    @Test
    void warmUpBuildsEveryReadoutOfEveryBucket() {
        List<Readout> readouts = List.of(Readout.argmax(), Readout.top(0.8, 5, 3));
        try (Forward f = TestModels.forward(model, ForwardMode.STATIC)) {
            f.warmUp(8, 128, readouts);
            try (KVCache c = f.newCache(8)) {
                int built = c.storage().attachmentCount();
                assertThat(built).as("8 buckets, each with 2 readouts").isEqualTo(8 * 3);
                for (int n : new int[]{1, 3, 17, 100}) {
                    for (Readout r : readouts) {
                        f.score(c, new int[n], GPT2Model.chain(n, -1), r);
                        c.discardPending();
                    }
                }
                assertThat(c.storage().attachmentCount()).isEqualTo(built);
            }
        }
    }

    /** The fixed-shape path reduces its static logits in place; the result must be the eager reduction of the rows. */
    @Test
    void scoreOnTheStaticPathEqualsTheReadoutOfTheLogits() {
        SplittableRandom rng = new SplittableRandom(7);
        int[] prefix = rng.ints(6, 0, V).toArray();
        for (Readout readout : List.of(Readout.argmax(), Readout.top(1.0, 0, 4), Readout.top(0.7, 9, 9), Readout.top(1.3, 0, 1000))) {
            for (int n : new int[]{1, 5, 16}) {
                int[] tokens = rng.ints(n, 0, V).toArray();
                int[] parents = ForwardModeCheck.randomTree(rng, n, 3);
                ReadoutRows expected, actual;
                try (KVCache c = eager.newCache(32)) {
                    eager.run(c, prefix, GPT2Model.chain(prefix.length, -1)).close();
                    c.commit(KVCache.firstPending(prefix.length));
                    try (Logits l = eager.run(c, tokens, parents)) {
                        expected = ReadoutRows.of(l, readout);
                    }
                }
                try (KVCache c = fixed.newCache(32)) {
                    fixed.score(c, prefix, GPT2Model.chain(prefix.length, -1), Readout.argmax());
                    c.commit(KVCache.firstPending(prefix.length));
                    actual = fixed.score(c, tokens, parents, readout);
                    assertThat(c.pendingCount()).isEqualTo(n);
                }
                assertThat(actual.rows()).isEqualTo(n);
                assertThat(actual.columns()).isEqualTo(readout.columns(V)).isEqualTo(expected.columns());
                int w = actual.columns() / 2;
                for (int r = 0; r < n; r++) {
                    for (int j = 0; j < actual.columns(); j++) {
                        boolean id = readout instanceof Readout.Argmax || j >= w;
                        if (id) assertThat(actual.token(r, j)).as("%s n=%d row %d column %d", readout.key(), n, r, j).isEqualTo(expected.token(r, j));
                        else assertThat((double) actual.value(r, j)).as("%s n=%d row %d column %d", readout.key(), n, r, j)
                                .isCloseTo(expected.value(r, j), org.assertj.core.api.Assertions.within(1e-5));
                    }
                }
            }
        }
    }

    @Test
    void thePathOfEveryBatchSizeIsNamed() {
        assertThat(fixed.pathFor(3)).isEqualTo("static, bucket 4, ATen (fused kernels run on CUDA only)");
        assertThat(fixed.pathFor(200)).startsWith("eager ATen");
        assertThat(eager.pathFor(5)).isEqualTo("eager ATen");
    }

    @Test
    void cudaGraphsAreRefusedOnTheCpu() {
        assertThatThrownBy(() -> ForwardPlan.eagerCpu().withMode(ForwardMode.CUDA_GRAPH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs --device cuda");
        ForwardPlan claimsCuda = new ForwardPlan(ForwardMode.CUDA_GRAPH, ForwardKernels.ATEN, FusedOptions.defaults(), Dtype.FP32, "cuda", 0);
        assertThatThrownBy(() -> Forward.create(model, claimsCuda)).hasMessageContaining("CUDA device");
    }

    @Test
    void modesParseFromTheirFlagNames() {
        for (ForwardMode m : ForwardMode.values()) assertThat(ForwardMode.parse(m.flagName())).isEqualTo(m);
        assertThat(ForwardMode.parse("CUDA_GRAPH")).isEqualTo(ForwardMode.CUDA_GRAPH);
        assertThatThrownBy(() -> ForwardMode.parse("graph")).hasMessageContaining("expected eager, static or cuda-graph");
    }

    @Test
    void realRowsTakeConsecutiveSlotsEndingAtTheKeyLimitAndPaddingRowsTheirOwn() {
        int bucket = 8, firstSlot = 11;
        int[] tokens = {5, 6, 7, 8, 9};
        long[] positions = {20, 21, 21, 22, 23};
        long[] host = new long[3 * bucket + 2];
        Arrays.fill(host, -7);
        StaticForward.layOutInputs(host, bucket, tokens, positions, firstSlot, row -> 100 + row);
        long realRows = host[3 * bucket], keyLimit = host[3 * bucket + 1];
        assertThat(realRows).isEqualTo(tokens.length);
        for (int r = 0; r < tokens.length; r++) {
            assertThat(host[r]).isEqualTo(tokens[r]);
            assertThat(host[bucket + r]).isEqualTo(positions[r]);
            // The fused tree attention finds row r's own K/V at this slot (attention_rows in gpt2_fused.cu).
            assertThat(host[2 * bucket + r]).as("slot of real row %d", r).isEqualTo(keyLimit - realRows + r);
        }
        for (int r = tokens.length; r < bucket; r++) {
            assertThat(host[r]).isZero();
            assertThat(host[bucket + r]).isZero();
            assertThat(host[2 * bucket + r]).as("padding row %d", r).isEqualTo(100 + r).isGreaterThanOrEqualTo(keyLimit);
        }
    }

    @Test
    void bucketsArePowersOfTwoUpToTheLargest() {
        assertThat(StaticForward.bucketFor(1)).isEqualTo(1);
        assertThat(StaticForward.bucketFor(3)).isEqualTo(4);
        assertThat(StaticForward.bucketFor(64)).isEqualTo(64);
        assertThat(StaticForward.bucketFor(65)).isEqualTo(128);
        assertThatThrownBy(() -> StaticForward.bucketFor(StaticForward.MAX_BUCKET + 1)).isInstanceOf(IllegalArgumentException.class);
    }
}

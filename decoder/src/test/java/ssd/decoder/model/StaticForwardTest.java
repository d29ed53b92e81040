package ssd.decoder.model;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
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
    static final int V = TestModels.TINY.vocabSize();

    @BeforeAll
    static void load() {
        model = TestModels.random(TestModels.TINY, 5, 0.2);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void staticModeMatchesEagerInEveryScenario() {
        List<ForwardModeCheck.Outcome> outcomes = ForwardModeCheck.run(model, ForwardMode.EAGER, ForwardMode.STATIC, 1e-4f, 17);
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
        try (KVCache cache = model.newCache(64, ForwardMode.STATIC)) {
            model.forward(cache, prefix, GPT2Model.chain(prefix.length, -1)).close();
            cache.commit(KVCache.firstPending(prefix.length));
            try (Logits tree = model.forward(cache, tokens, parents)) {
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
                try (Logits l = model.forward(cache, new int[]{committed[committed.length - 1]}, new int[]{-1})) {
                    cache.commit(new int[]{0});
                    assertThat(TestModels.maxAbsDiff(l.row(0), TestModels.referenceLastLogits(model, committed))).isLessThan(1e-4f);
                }
            }
            assertThat(cache.staticForwardCount()).isEqualTo(7);
        }
    }

    @Test
    void paddingRowsNeverOverwriteCommittedOrPendingKeysAndValues() {
        SplittableRandom rng = new SplittableRandom(8);
        try (KVCache eager = model.newCache(32, ForwardMode.EAGER); KVCache fixed = model.newCache(32, ForwardMode.STATIC)) {
            int[] prefix = rng.ints(11, 0, V).toArray();
            for (KVCache c : List.of(eager, fixed)) {
                model.forward(c, prefix, GPT2Model.chain(prefix.length, -1)).close();
                c.commit(KVCache.firstPending(prefix.length));
            }
            // 3, 5 and 9 new nodes: buckets 4, 8 and 16, each with padding rows, pending nodes accumulating.
            int[][] batches = {{-1, 0, 0}, {1, 1, 2, 2, 2}, {3, 4, 5, 6, 7, 3, 4, 5, 6}};
            for (int[] parents : batches) {
                int[] tokens = rng.ints(parents.length, 0, V).toArray();
                for (KVCache c : List.of(eager, fixed)) model.forward(c, tokens, parents).close();
            }
            int used = eager.length() + eager.pendingCount();
            assertThat(used).isEqualTo(11 + 17);
            try (PointerScope scope = new PointerScope()) {
                for (int l = 0; l < TestModels.TINY.nLayer(); l++) {
                    for (boolean keys : new boolean[]{true, false}) {
                        Tensor a = (keys ? eager.keys(l) : eager.values(l)).narrow(2, 0, used);
                        Tensor b = (keys ? fixed.keys(l) : fixed.values(l)).narrow(2, 0, used);
                        assertThat(a.sub(b).abs().max().item_float()).as("layer %d %s", l, keys ? "keys" : "values").isLessThan(1e-5f);
                    }
                }
            }
        }
    }

    @Test
    void prefillsBeyondTheLargestBucketTakeTheDynamicPathAndDecodingContinuesStatically() {
        GPT2Config longer = GPT2Config.of(97, 256, 64, 2, 4);
        try (GPT2Model m = TestModels.random(longer, 3, 0.2);
             KVCache eager = m.newCache(4, ForwardMode.EAGER); KVCache fixed = m.newCache(4, ForwardMode.STATIC)) {
            int[] prompt = new SplittableRandom(4).ints(StaticForward.MAX_BUCKET + 22, 0, 97).toArray();
            try (Logits a = m.forward(eager, prompt, GPT2Model.chain(prompt.length, -1));
                 Logits b = m.forward(fixed, prompt, GPT2Model.chain(prompt.length, -1))) {
                assertThat(TestModels.maxAbsDiff(a.row(prompt.length - 1), b.row(prompt.length - 1))).isZero();
            }
            assertThat(fixed.staticForwardCount()).isZero();
            eager.commit(KVCache.firstPending(prompt.length));
            fixed.commit(KVCache.firstPending(prompt.length));
            for (int t = 0; t < 10; t++) {
                try (Logits a = m.forward(eager, new int[]{t}, new int[]{-1}); Logits b = m.forward(fixed, new int[]{t}, new int[]{-1})) {
                    assertThat(TestModels.maxAbsDiff(a.row(0), b.row(0))).isLessThan(1e-4f);
                    assertThat(b.argmax(0)).isEqualTo(a.argmax(0));
                }
                eager.commit(new int[]{0});
                fixed.commit(new int[]{0});
            }
            assertThat(fixed.staticForwardCount()).isEqualTo(10);
        }
    }

    @Test
    void logitsSurviveTheNextForwardOfTheSameBucket() {
        try (KVCache cache = model.newCache(8, ForwardMode.STATIC)) {
            Logits first = model.forward(cache, new int[]{1, 2, 3}, GPT2Model.chain(3, -1));
            float[] before = Torch.toFloats(first.tensor());
            model.forward(cache, new int[]{4, 5, 6}, GPT2Model.chain(3, 2)).close();
            assertThat(Torch.toFloats(first.tensor())).containsExactly(before);
            first.close();
        }
    }

    @Test
    void staticCachesShareAPoolOfStoragesAndEagerCachesDoNot() {
        KVStorage first;
        try (KVCache c = model.newCache(6, ForwardMode.STATIC)) {
            first = c.storage();
            model.forward(c, new int[]{1, 2}, GPT2Model.chain(2, -1)).close();
        }
        try (KVCache again = model.newCache(8, ForwardMode.STATIC); KVCache second = model.newCache(8, ForwardMode.STATIC)) {
            assertThat(again.storage()).as("pending room 6 and 8 share the rounded storage").isSameAs(first);
            assertThat(second.storage()).isNotSameAs(first);
            assertThat(again.length()).isZero();
            assertThat(again.pendingCount()).isZero();
        }
        KVStorage eagerStorage;
        try (KVCache e = model.newCache(8, ForwardMode.EAGER)) {
            eagerStorage = e.storage();
            assertThat(eagerStorage.paddingSlots()).isZero();
            assertThat(e.byteCount()).isEqualTo(2L * TestModels.TINY.nLayer() * TestModels.TINY.nEmbd() * (128 + 8) * 4);
        }
        try (KVCache e = model.newCache(8, ForwardMode.EAGER)) {
            assertThat(e.storage()).isNotSameAs(eagerStorage);
        }
    }

    @Test
    void theModelsDefaultModeAppliesToNewCachesOnly() {
        try (GPT2Model m = TestModels.random(TestModels.TINY, 1, 0.2); KVCache before = m.newCache(4)) {
            assertThat(m.forwardMode()).isEqualTo(ForwardMode.EAGER);
            m.setForwardMode(ForwardMode.STATIC);
            try (KVCache after = m.newCache(4)) {
                assertThat(before.mode()).isEqualTo(ForwardMode.EAGER);
                assertThat(after.mode()).isEqualTo(ForwardMode.STATIC);
                m.forward(after, new int[]{1}, new int[]{-1}).close();
                m.forward(before, new int[]{1}, new int[]{-1}).close();
                assertThat(after.staticForwardCount()).isEqualTo(1);
                assertThat(before.staticForwardCount()).isZero();
            }
        }
    }

    @Test
    void cudaGraphsAreRefusedOnTheCpu() {
        assertThatThrownBy(() -> model.setForwardMode(ForwardMode.CUDA_GRAPH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CUDA device");
        assertThatThrownBy(() -> model.newCache(4, ForwardMode.CUDA_GRAPH)).hasMessageContaining("CUDA device");
        assertThat(model.forwardMode()).isEqualTo(ForwardMode.EAGER);
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

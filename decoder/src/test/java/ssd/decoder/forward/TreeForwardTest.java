package ssd.decoder.forward;

import ssd.decoder.cache.KVCache;
import ssd.decoder.model.ContextOverflowException;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.model.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TreeForwardTest {
    static GPT2Model model;
    static Forward eager;
    static final int V = TestModels.TINY.vocabSize();

    @BeforeAll
    static void load() {
        model = TestModels.random(TestModels.TINY, 5, 0.2);
        eager = TestModels.eager(model);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static int[] pathTo(int[] parents, int node) {
        List<Integer> path = new ArrayList<>();
        for (int x = node; x >= 0; x = parents[x]) path.add(0, x);
        return path.stream().mapToInt(Integer::intValue).toArray();
    }

    static int[] concat(int[] prefix, int[] tokens, int[] path) {
        int[] out = Arrays.copyOf(prefix, prefix.length + path.length);
        for (int i = 0; i < path.length; i++) out[prefix.length + i] = tokens[path[i]];
        return out;
    }

    @Test
    void everyTreeNodeMatchesTheSequentialForwardOfItsPath() {
        SplittableRandom rng = new SplittableRandom(42);
        for (int trial = 0; trial < 3; trial++) {
            int[] prefix = rng.ints(7 + trial * 5, 0, V).toArray();
            int n = 40 + trial * 8;
            int[] parents = ForwardModeCheck.randomTree(rng, n, 4);
            int[] tokens = rng.ints(n, 0, V).toArray();
            try (KVCache cache = eager.newCache(64)) {
                eager.run(cache, prefix, GPT2Model.chain(prefix.length, -1)).close();
                cache.commit(KVCache.firstPending(prefix.length));
                try (Logits tree = eager.run(cache, tokens, parents)) {
                    for (int node = 0; node < n; node++) {
                        float[] ref = TestModels.referenceLastLogits(model, concat(prefix, tokens, pathTo(parents, node)));
                        assertThat(TestModels.maxAbsDiff(tree.row(node), ref)).as("trial %d node %d", trial, node).isLessThan(1e-4f);
                    }
                }
                // commit the deepest path, then decoding continues as if that path had been fed one token at a time
                int[] path = ForwardModeCheck.deepestPath(parents);
                cache.commit(path);
                int[] committed = concat(prefix, tokens, path);
                assertThat(cache.length()).isEqualTo(committed.length);
                for (int step = 0; step < 5; step++) {
                    int next = rng.nextInt(V);
                    committed = Arrays.copyOf(committed, committed.length + 1);
                    committed[committed.length - 1] = next;
                    try (Logits l = eager.run(cache, new int[]{next}, new int[]{-1})) {
                        cache.commit(new int[]{0});
                        assertThat(TestModels.maxAbsDiff(l.row(0), TestModels.referenceLastLogits(model, committed))).isLessThan(1e-4f);
                    }
                }
            }
        }
    }

    @Test
    void treeBuiltLevelByLevelOverSeveralForwardsMatchesTheSequentialReference() {
        SplittableRandom rng = new SplittableRandom(9);
        int[] prefix = rng.ints(5, 0, V).toArray();
        try (KVCache cache = eager.newCache(64)) {
            eager.run(cache, prefix, GPT2Model.chain(prefix.length, -1)).close();
            cache.commit(KVCache.firstPending(prefix.length));
            List<Integer> allParents = new ArrayList<>();
            List<Integer> allTokens = new ArrayList<>();
            int[] level = {-1};
            for (int depth = 0; depth < 4; depth++) {
                List<Integer> batchParents = new ArrayList<>();
                for (int p : level) for (int c = 0; c < 2; c++) batchParents.add(p);
                int[] bp = batchParents.stream().mapToInt(Integer::intValue).toArray();
                int[] bt = rng.ints(bp.length, 0, V).toArray();
                int first = allParents.size();
                try (Logits l = eager.run(cache, bt, bp)) {
                    for (int i = 0; i < bp.length; i++) {
                        allParents.add(bp[i]);
                        allTokens.add(bt[i]);
                    }
                    int[] parentsSoFar = allParents.stream().mapToInt(Integer::intValue).toArray();
                    int[] tokensSoFar = allTokens.stream().mapToInt(Integer::intValue).toArray();
                    for (int i = 0; i < bp.length; i++) {
                        float[] ref = TestModels.referenceLastLogits(model, concat(prefix, tokensSoFar, pathTo(parentsSoFar, first + i)));
                        assertThat(TestModels.maxAbsDiff(l.row(i), ref)).isLessThan(1e-4f);
                    }
                }
                level = new int[bp.length];
                for (int i = 0; i < bp.length; i++) level[i] = first + i;
            }
            assertThat(cache.pendingCount()).isEqualTo(2 + 4 + 8 + 16);
        }
    }

    @Test
    void commitRejectsAPathThatIsNotAChainFromARoot() {
        try (KVCache cache = eager.newCache(16)) {
            eager.run(cache, new int[]{1, 2, 3}, new int[]{-1, -1, 0}).close();
            assertThatThrownBy(() -> cache.commit(new int[]{1, 2})).hasMessageContaining("not a root-to-node chain");
            cache.commit(new int[]{0, 2});
            assertThat(cache.length()).isEqualTo(2);
            assertThat(cache.pendingCount()).isZero();
        }
    }
}

package ssd.decoder.forward;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import ssd.decoder.cache.KVCache;
import ssd.decoder.model.GPT2Model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Runs one model through two forwards side by side, on two caches fed identical inputs, and compares every forward's
 * logits: prefill, a long 1-token decode, random trees with commit and continued decode, trees grown over several
 * forwards, and a second decode on pooled storage (graphs reused after their cache closed). The tests and
 * {@code ssd bench-forward --check} (on a GPU host) share it.
 *
 * <p>An argmax disagreement counts as a failure only where the reference's top logit beats the tested mode's choice
 * by more than the tolerance; closer than that it is a near tie, which fp16 rounding may flip, and is reported apart.
 */
public final class ForwardModeCheck {
    /** One scenario's comparison: forwards run, how many took the tested mode's static path, and the differences. */
    public record Outcome(String scenario, int forwards, int staticForwards, float maxAbsDiff, int argmaxMismatches, int nearTies,
                          float tolerance) {
        public boolean passed() {
            return argmaxMismatches == 0 && maxAbsDiff <= tolerance;
        }

        public String describe() {
            return String.format(Locale.ROOT, "%-34s %4d forwards (%4d static) max |diff| %.3g (tol %.3g), argmax mismatches %d, near ties %d: %s",
                    scenario, forwards, staticForwards, maxAbsDiff, tolerance, argmaxMismatches, nearTies, passed() ? "ok" : "FAILED");
        }
    }

    private final GPT2Model model;
    private final Forward reference;
    private final Forward tested;
    private final float tolerance;
    private final SplittableRandom rng;
    private final int vocab;

    private ForwardModeCheck(Forward reference, Forward tested, float tolerance, long seed) {
        if (reference.model() != tested.model()) throw new IllegalArgumentException("both forwards must run the same model");
        this.model = reference.model();
        this.reference = reference;
        this.tested = tested;
        this.tolerance = tolerance;
        this.rng = new SplittableRandom(seed);
        this.vocab = model.config().vocabSize();
    }

    /** Every scenario; the model needs a context of at least 80 tokens. */
    public static List<Outcome> run(Forward reference, Forward tested, float tolerance, long seed) {
        if (reference.model().config().nPositions() < 80) throw new IllegalArgumentException("the check needs a context of at least 80 tokens");
        ForwardModeCheck c = new ForwardModeCheck(reference, tested, tolerance, seed);
        List<Outcome> out = new ArrayList<>();
        out.add(c.prefill(13));
        out.add(c.decode("decode 60 steps", 60));
        for (int trial = 0; trial < 3; trial++) out.add(c.treeThenCommit(trial));
        out.add(c.grownTree());
        out.add(c.decode("decode again (pooled storage)", 20));
        return out;
    }

    Outcome prefill(int n) {
        try (Pair p = new Pair("prefill " + n + " (bucket " + StaticForward.bucketFor(n) + ")", 8)) {
            p.forward(rng.ints(n, 0, vocab).toArray(), GPT2Model.chain(n, -1));
            return p.outcome();
        }
    }

    Outcome decode(String name, int steps) {
        int budget = Math.min(steps, model.config().nPositions() - 7);
        try (Pair p = new Pair(name, 8)) {
            p.prefillAndCommit(rng.ints(6, 0, vocab).toArray());
            for (int i = 0; i < budget; i++) {
                p.forward(new int[]{rng.nextInt(vocab)}, new int[]{-1});
                p.commit(new int[]{0});
            }
            return p.outcome();
        }
    }

    Outcome treeThenCommit(int trial) {
        int n = 40 + 8 * trial;
        try (Pair p = new Pair("tree of " + n + " + commit + decode", 64)) {
            p.prefillAndCommit(rng.ints(7 + 5 * trial, 0, vocab).toArray());
            int[] parents = randomTree(rng, n, 4);
            p.forward(rng.ints(n, 0, vocab).toArray(), parents);
            p.commit(deepestPath(parents));
            for (int i = 0; i < 5; i++) {
                p.forward(new int[]{rng.nextInt(vocab)}, new int[]{-1});
                p.commit(new int[]{0});
            }
            return p.outcome();
        }
    }

    /** Levels of 2, 4, 8, 16 nodes over four forwards (pending nodes accumulate), commit, grow again, decode. */
    Outcome grownTree() {
        try (Pair p = new Pair("tree grown over 4 forwards, twice", 64)) {
            p.prefillAndCommit(rng.ints(5, 0, vocab).toArray());
            for (int round = 0; round < 2; round++) {
                List<Integer> all = new ArrayList<>();
                int[] level = {-1};
                for (int depth = 0; depth < 4; depth++) {
                    int[] bp = new int[level.length * 2];
                    for (int i = 0; i < bp.length; i++) bp[i] = level[i / 2];
                    int first = all.size();
                    p.forward(rng.ints(bp.length, 0, vocab).toArray(), bp);
                    for (int x : bp) all.add(x);
                    level = new int[bp.length];
                    for (int i = 0; i < bp.length; i++) level[i] = first + i;
                }
                p.commit(deepestPath(all.stream().mapToInt(Integer::intValue).toArray()));
            }
            p.forward(new int[]{rng.nextInt(vocab)}, new int[]{-1});
            return p.outcome();
        }
    }

    /** A random tree of n nodes in topological order, each node with at most maxChildren children. */
    static int[] randomTree(SplittableRandom rng, int n, int maxChildren) {
        int[] parents = new int[n];
        int[] children = new int[n];
        int roots = 0;
        for (int i = 0; i < n; i++) {
            while (true) {
                int p = rng.nextInt(i + 1) - 1;
                if (p == -1 && roots < maxChildren) { roots++; parents[i] = -1; break; }
                if (p >= 0 && children[p] < maxChildren) { children[p]++; parents[i] = p; break; }
            }
        }
        return parents;
    }

    static int[] deepestPath(int[] parents) {
        int best = 0, bestDepth = -1;
        for (int i = 0; i < parents.length; i++) {
            int d = 0;
            for (int x = parents[i]; x >= 0; x = parents[x]) d++;
            if (d > bestDepth) { bestDepth = d; best = i; }
        }
        int[] path = new int[bestDepth + 1];
        for (int x = best, k = bestDepth; x >= 0; x = parents[x], k--) path[k] = x;
        return path;
    }

    /** A reference cache and a tested cache advanced in lockstep. */
    private final class Pair implements AutoCloseable {
        final String name;
        final KVCache ref;
        final KVCache test;
        int forwards;
        float maxDiff;
        int mismatches;
        int nearTies;
        final long fixedShapeRunsBefore = tested.fixedShapeRuns();

        Pair(String name, int maxPending) {
            this.name = name;
            this.ref = reference.newCache(maxPending);
            this.test = tested.newCache(maxPending);
        }

        void prefillAndCommit(int[] prefix) {
            forward(prefix, GPT2Model.chain(prefix.length, -1));
            commit(KVCache.firstPending(prefix.length));
        }

        void forward(int[] tokens, int[] parents) {
            try (Logits a = reference.run(ref, tokens, parents); Logits b = tested.run(test, tokens, parents)) {
                forwards++;
                try (PointerScope scope = new PointerScope()) {
                    Tensor diff = a.tensor().sub(b.tensor()).abs().max();
                    maxDiff = Math.max(maxDiff, diff.item_float());
                }
                for (int r = 0; r < tokens.length; r++) {
                    int x = a.argmax(r), y = b.argmax(r);
                    if (x == y) continue;
                    float[] row = a.row(r);
                    if (row[x] - row[y] <= tolerance) nearTies++;
                    else mismatches++;
                }
            }
        }

        void commit(int[] path) {
            ref.commit(path);
            test.commit(path);
            if (ref.length() != test.length()) throw new IllegalStateException("caches diverged: " + ref.length() + " vs " + test.length());
        }

        Outcome outcome() {
            return new Outcome(name, forwards, (int) (tested.fixedShapeRuns() - fixedShapeRunsBefore), maxDiff, mismatches, nearTies, tolerance);
        }

        @Override
        public void close() {
            ref.close();
            test.close();
        }
    }
}

package ssd.decoder.decoding;

import java.util.Arrays;

/**
 * Verification that leaves the oracle's output unchanged.
 *
 * <p>Greedy: descend while a child carries the oracle's argmax; emit the argmax where none does.
 *
 * <p>Sampling: recursive rejection sampling over each node's children (SpecInfer's multi-candidate scheme). With
 * target r (initially the oracle's distribution p at the node) and a child t proposed from distribution s, accept
 * t with probability min(1, r(t)/s(t)); on rejection continue with r = normalize(max(0, r - s)). If every child is
 * rejected, draw from r. A deterministic proposal (top-m choice) is s = delta(t): accept with probability r(t), else
 * remove t from r. Each step outputs r exactly, so the emitted token is an exact draw from p. The distributions are
 * sparse (p is zero outside the oracle's top-k), so every step costs k operations, not the vocabulary.
 */
public final class ExactVerifier implements Verifier {
    @Override
    public Result verify(DraftTree tree, OracleScores scores, Sampler sampler) {
        int[] path = new int[8];
        int length = 0;
        int node = 0;
        path[length++] = 0;
        boolean greedy = sampler.config().isGreedy();
        while (true) {
            int next = greedy ? greedyStep(tree, scores, node) : samplingStep(tree, scores, node, sampler);
            if (next < 0) return new Result(Arrays.copyOf(path, length), -next - 1);
            node = next;
            if (length == path.length) path = Arrays.copyOf(path, length * 2);
            path[length++] = node;
        }
    }

    /** Returns a child node index to descend into, or -(token + 1) for the oracle's own token. */
    private static int greedyStep(DraftTree tree, OracleScores scores, int node) {
        int best = scores.argmax(node);
        for (int c = tree.firstChild(node); c >= 0; c = tree.nextSibling(c)) if (tree.token(c) == best) return c;
        return -best - 1;
    }

    private static int samplingStep(DraftTree tree, OracleScores scores, int node, Sampler sampler) {
        SparseDistribution r = scores.target(node);
        for (int c = tree.firstChild(node); c >= 0; c = tree.nextSibling(c)) {
            int t = tree.token(c);
            SparseDistribution s = tree.proposal(c);
            if (s == null) s = SparseDistribution.pointMass(t);
            double st = s.prob(t);
            if (st > 0 && sampler.uniform() < Math.min(1.0, r.prob(t) / st)) return c;
            SparseDistribution rest = r.minus(s);
            if (rest == null) break; // nothing left to draw from: cannot happen for a proper proposal, guarded anyway
            r = rest;
        }
        return -sampler.sample(r) - 1;
    }
}

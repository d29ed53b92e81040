package ssd.decoder.decoding;

import ssd.decoder.model.Logits;

import java.util.ArrayList;
import java.util.List;

/**
 * Verification that leaves the oracle's output unchanged.
 *
 * <p>Greedy: descend while a child carries the oracle's argmax; emit the argmax where none does.
 *
 * <p>Sampling: recursive rejection sampling over each node's children (SpecInfer's multi-candidate scheme). With
 * target r (initially the oracle's distribution p at the node) and a child t proposed from distribution s, accept
 * t with probability min(1, r(t)/s(t)); on rejection continue with r = normalize(max(0, r - s)). If every child is
 * rejected, draw from r. A deterministic proposal (top-m choice) is s = delta(t): accept with probability r(t), else
 * remove t from r. Each step outputs r exactly, so the emitted token is an exact draw from p.
 */
public final class ExactVerifier implements Verifier {
    @Override
    public Result verify(DraftTree tree, Logits logits, Sampler sampler) {
        List<Integer> path = new ArrayList<>();
        int node = 0;
        path.add(0);
        while (true) {
            int next = sampler.config().isGreedy() ? greedyStep(tree, logits, node) : samplingStep(tree, logits, node, sampler);
            if (next >= 0) {
                node = next;
                path.add(node);
                continue;
            }
            return new Result(path.stream().mapToInt(Integer::intValue).toArray(), -next - 1);
        }
    }

    /** Returns a child node index to descend into, or -(token + 1) for the oracle's own token. */
    private static int greedyStep(DraftTree tree, Logits logits, int node) {
        int best = logits.argmax(node);
        for (int c : tree.children(node)) if (tree.node(c).token() == best) return c;
        return -best - 1;
    }

    private static int samplingStep(DraftTree tree, Logits logits, int node, Sampler sampler) {
        double[] r = sampler.distribution(logits.row(node));
        for (int c : tree.children(node)) {
            DraftTree.Node child = tree.node(c);
            int t = child.token();
            double[] s = child.proposal();
            double st = s == null ? 1.0 : s[t];
            if (st > 0 && sampler.uniform() < Math.min(1.0, r[t] / st)) return c;
            r = residual(r, s, t);
            if (r == null) break; // nothing left to draw from: cannot happen for a proper proposal, guarded anyway
        }
        if (r == null) r = sampler.distribution(logits.row(node));
        return -sampler.sample(r) - 1;
    }

    /** normalize(max(0, r - s)); s == null means delta(t). Null if the residual has no mass. */
    static double[] residual(double[] r, double[] s, int t) {
        double[] out = new double[r.length];
        double sum = 0;
        for (int i = 0; i < r.length; i++) {
            double v = r[i] - (s == null ? (i == t ? 1.0 : 0.0) : s[i]);
            if (v > 0) {
                out[i] = v;
                sum += v;
            }
        }
        if (sum <= 0) return null;
        for (int i = 0; i < out.length; i++) out[i] /= sum;
        return out;
    }
}

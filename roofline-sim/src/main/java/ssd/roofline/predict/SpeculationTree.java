package ssd.roofline.predict;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A token tree sent to the oracle: the root is the pending token, every other node a proposal. Built best-first
 * under an {@link AcceptanceModel}: each added node is the candidate with the highest probability of lying on the
 * accepted path (the product of its rank probabilities), which maximizes expected accepted tokens for the budget.
 */
public final class SpeculationTree {
    /** A proposal node: depth 1 is a child of the root; parent -1 means the root. */
    public record Node(int parent, int depth, int rank, double pathProbability) {
    }

    private final List<Node> nodes;

    private SpeculationTree(List<Node> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /** The best tree of {@code budget} proposals. */
    public static SpeculationTree best(AcceptanceModel model, int budget) {
        if (budget < 0) throw new IllegalArgumentException("tree budget must be >= 0, got " + budget);
        record Candidate(int parent, int depth, int rank, double prob) {
        }
        PriorityQueue<Candidate> queue = new PriorityQueue<>((x, y) -> Double.compare(y.prob, x.prob));
        List<Node> nodes = new ArrayList<>(budget);
        queue.add(new Candidate(-1, 1, 0, model.rank(0)));
        while (nodes.size() < budget && !queue.isEmpty()) {
            Candidate c = queue.poll();
            int id = nodes.size();
            nodes.add(new Node(c.parent, c.depth, c.rank, c.prob));
            // Rank probabilities are non-increasing, so a node's best child is rank 0 and its next sibling rank+1.
            queue.add(new Candidate(id, c.depth + 1, 0, c.prob * model.rank(0)));
            if (c.rank + 1 < model.ranks()) {
                double parentProb = c.parent < 0 ? 1 : nodes.get(c.parent).pathProbability();
                queue.add(new Candidate(c.parent, c.depth, c.rank + 1, parentProb * model.rank(c.rank + 1)));
            }
        }
        return new SpeculationTree(nodes);
    }

    public List<Node> nodes() {
        return nodes;
    }

    public int proposals() {
        return nodes.size();
    }

    /** Tokens in the oracle's batch: the pending root plus every proposal. */
    public int oracleBatch() {
        return nodes.size() + 1;
    }

    /** Expected tokens appended per oracle call: 1 (the oracle's own token) + sum of path probabilities. */
    public double expectedTokens() {
        double s = 1;
        for (Node n : nodes) s += n.pathProbability();
        return s;
    }

    /** Probability that at least one proposal is accepted: the sum over the root's children. */
    public double probabilityAnyAccepted() {
        double s = 0;
        for (Node n : nodes) if (n.depth() == 1) s += n.pathProbability();
        return s;
    }

    public int depth() {
        int d = 0;
        for (Node n : nodes) d = Math.max(d, n.depth());
        return d;
    }

    /**
     * Draft batch per level: the draft runs once per depth, on the nodes of that depth that have children (leaves
     * are free). Entry 0 is the root (always 1 when the tree is not empty).
     */
    public int[] draftBatchPerLevel() {
        int depth = depth();
        int[] batch = new int[depth];
        if (depth == 0) return batch;
        boolean[] hasChild = new boolean[nodes.size()];
        for (Node n : nodes) if (n.parent() >= 0) hasChild[n.parent()] = true;
        batch[0] = 1;
        for (int i = 0; i < nodes.size(); i++) {
            if (hasChild[i]) batch[nodes.get(i).depth()]++;
        }
        return batch;
    }
}

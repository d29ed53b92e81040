package ssd.decoder.decoding;

import java.util.ArrayList;
import java.util.List;

/**
 * The batch sent to the oracle: node 0 is the newest emitted token (the root, not yet in the oracle's cache); every
 * other node is a proposed continuation with its parent, origin, and the distribution it was drawn from
 * ({@code null} when the proposal was deterministic, e.g. a draft's top-m choice). Nodes are in topological order.
 */
public final class DraftTree {
    /** One node: token, parent index (-1 for the root), who proposed it, and its proposal distribution or null. */
    public record Node(int token, int parent, TokenOrigin origin, double[] proposal) {
    }

    private final List<Node> nodes = new ArrayList<>();
    private final List<List<Integer>> children = new ArrayList<>();

    public DraftTree(int rootToken) {
        nodes.add(new Node(rootToken, -1, TokenOrigin.ORACLE, null));
        children.add(new ArrayList<>());
    }

    public int add(int parent, int token, TokenOrigin origin, double[] proposal) {
        if (parent < 0 || parent >= nodes.size()) throw new IllegalArgumentException("parent " + parent + " is not a node");
        nodes.add(new Node(token, parent, origin, proposal));
        children.add(new ArrayList<>());
        children.get(parent).add(nodes.size() - 1);
        return nodes.size() - 1;
    }

    public int size() {
        return nodes.size();
    }

    public Node node(int i) {
        return nodes.get(i);
    }

    /** Children of a node in the order they were added (the order candidates are tried when sampling). */
    public List<Integer> children(int i) {
        return children.get(i);
    }

    public int[] tokens() {
        return nodes.stream().mapToInt(Node::token).toArray();
    }

    /** Parent pointers for the model's tree forward: the root follows the prefix (-1). */
    public int[] parents() {
        return nodes.stream().mapToInt(Node::parent).toArray();
    }

    public int depth(int i) {
        int d = 0;
        for (int x = i; nodes.get(x).parent() >= 0; x = nodes.get(x).parent()) d++;
        return d;
    }
}

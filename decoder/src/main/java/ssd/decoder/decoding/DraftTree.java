package ssd.decoder.decoding;

import java.util.Arrays;

/**
 * The batch sent to the oracle: node 0 is the newest emitted token (the root, not yet in the oracle's cache); every
 * other node is a proposed continuation with its parent, origin, and the distribution it was drawn from
 * ({@code null} when the proposal was deterministic, e.g. a draft's top-m choice). Nodes are in topological order;
 * children keep the order they were added in (the order candidates are tried when sampling). Primitive arrays, so a
 * round allocates nothing per node.
 */
public final class DraftTree {
    private int[] tokens;
    private int[] parents;
    private int[] firstChild;
    private int[] lastChild;
    private int[] nextSibling;
    private TokenOrigin[] origins;
    private SparseDistribution[] proposals;
    private int size;

    public DraftTree(int rootToken) {
        this(rootToken, 16);
    }

    public DraftTree(int rootToken, int capacity) {
        int c = Math.max(1, capacity);
        tokens = new int[c];
        parents = new int[c];
        firstChild = new int[c];
        lastChild = new int[c];
        nextSibling = new int[c];
        origins = new TokenOrigin[c];
        proposals = new SparseDistribution[c];
        reset(rootToken);
    }

    /** Empties the tree down to a new root. */
    public void reset(int rootToken) {
        size = 0;
        append(-1, rootToken, TokenOrigin.ORACLE, null);
    }

    public int add(int parent, int token, TokenOrigin origin, SparseDistribution proposal) {
        if (parent < 0 || parent >= size) throw new IllegalArgumentException("parent " + parent + " is not a node");
        return append(parent, token, origin, proposal);
    }

    private int append(int parent, int token, TokenOrigin origin, SparseDistribution proposal) {
        if (size == tokens.length) grow();
        int i = size++;
        tokens[i] = token;
        parents[i] = parent;
        origins[i] = origin;
        proposals[i] = proposal;
        firstChild[i] = -1;
        lastChild[i] = -1;
        nextSibling[i] = -1;
        if (parent >= 0) {
            if (firstChild[parent] < 0) firstChild[parent] = i;
            else nextSibling[lastChild[parent]] = i;
            lastChild[parent] = i;
        }
        return i;
    }

    private void grow() {
        int c = tokens.length * 2;
        tokens = Arrays.copyOf(tokens, c);
        parents = Arrays.copyOf(parents, c);
        firstChild = Arrays.copyOf(firstChild, c);
        lastChild = Arrays.copyOf(lastChild, c);
        nextSibling = Arrays.copyOf(nextSibling, c);
        origins = Arrays.copyOf(origins, c);
        proposals = Arrays.copyOf(proposals, c);
    }

    public int size() {
        return size;
    }

    public int token(int node) {
        return tokens[node];
    }

    public int parent(int node) {
        return parents[node];
    }

    public TokenOrigin origin(int node) {
        return origins[node];
    }

    /** The distribution node's token was drawn from, or null for a deterministic proposal. */
    public SparseDistribution proposal(int node) {
        return proposals[node];
    }

    /** The first child of {@code node}, or -1. */
    public int firstChild(int node) {
        return firstChild[node];
    }

    /** The next child of the same parent after {@code node}, or -1. */
    public int nextSibling(int node) {
        return nextSibling[node];
    }

    public int[] tokens() {
        return Arrays.copyOf(tokens, size);
    }

    /** Parent pointers for the model's tree forward: the root follows the prefix (-1). */
    public int[] parents() {
        return Arrays.copyOf(parents, size);
    }
}

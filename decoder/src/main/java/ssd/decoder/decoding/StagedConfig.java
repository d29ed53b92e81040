package ssd.decoder.decoding;

/**
 * Knobs of staged speculative decoding.
 *
 * @param treeBudget   tokens in the oracle's batch, root included (the paper's batch size)
 * @param maxDepth     draft forwards per round at most: the tree is grown one level per draft forward
 * @param beamWidth    nodes the draft expands per level (best path probability first)
 * @param children     children revealed per expanded node (the draft's top-m)
 * @param ngramLookahead tokens the n-gram proposes below each expanded node before the draft scores them all in the
 *                     same forward (the second stage); 0 turns the second stage off
 */
public record StagedConfig(int treeBudget, int maxDepth, int beamWidth, int children, int ngramLookahead) {
    public StagedConfig {
        if (treeBudget < 2) throw new IllegalArgumentException("--tree-budget must be at least 2 (root + one proposal), got " + treeBudget);
        if (maxDepth < 1 || beamWidth < 1 || children < 1 || ngramLookahead < 0) {
            throw new IllegalArgumentException("staged config out of range: depth " + maxDepth + ", width " + beamWidth
                    + ", children " + children + ", n-gram lookahead " + ngramLookahead);
        }
    }

    /** Defaults scaled from the budget: a few wide levels near the root, n-gram chains of 4 below. */
    public static StagedConfig forBudget(int treeBudget) {
        return new StagedConfig(treeBudget, 8, Math.max(1, treeBudget / 8), 4, 4);
    }

    public StagedConfig withoutNgram() {
        return new StagedConfig(treeBudget, maxDepth, beamWidth, children, 0);
    }
}

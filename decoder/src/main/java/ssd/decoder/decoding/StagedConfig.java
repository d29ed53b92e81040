package ssd.decoder.decoding;

import java.util.Locale;

/**
 * Knobs of staged speculative decoding.
 *
 * @param treeBudget   tokens in the oracle's batch, root included (the paper's batch size); with an auto budget, the
 *                     most it may hold
 * @param maxDepth     draft forwards per round at most: the tree is grown one level per draft forward
 * @param beamWidth    nodes the draft expands per level (best path probability first)
 * @param children     children revealed per expanded node (the draft's top-m)
 * @param ngramLookahead tokens the n-gram proposes below each expanded node before the draft scores them all in the
 *                     same forward (the second stage); 0 turns the second stage off
 * @param autoBudget   each round drafts another level only while it pays and sends the prefix of its candidates that
 *                     maximises expected tokens per millisecond ({@link RoundCosts}); {@code --tree-budget auto}
 */
public record StagedConfig(int treeBudget, int maxDepth, int beamWidth, int children, int ngramLookahead, boolean autoBudget) {
    /** The largest batch an auto budget may send: the fused kernels' largest tree batch. */
    public static final int AUTO_MAX_BUDGET = 64;

    public StagedConfig {
        if (treeBudget < 2) throw new IllegalArgumentException("--tree-budget must be at least 2 (root + one proposal), got " + treeBudget);
        if (maxDepth < 1 || beamWidth < 1 || children < 1 || ngramLookahead < 0) {
            throw new IllegalArgumentException("staged config out of range: depth " + maxDepth + ", width " + beamWidth
                    + ", children " + children + ", n-gram lookahead " + ngramLookahead);
        }
    }

    public StagedConfig(int treeBudget, int maxDepth, int beamWidth, int children, int ngramLookahead) {
        this(treeBudget, maxDepth, beamWidth, children, ngramLookahead, false);
    }

    /** Defaults scaled from a fixed budget: a few wide levels near the root, n-gram chains of 4 below. */
    public static StagedConfig forBudget(int treeBudget) {
        return new StagedConfig(treeBudget, 8, Math.max(1, treeBudget / 8), 4, 4);
    }

    /** Up to {@link #AUTO_MAX_BUDGET} tokens, levels and batch chosen per round from measured costs. */
    public static StagedConfig auto() {
        return new StagedConfig(AUTO_MAX_BUDGET, 8, 6, 4, 4, true);
    }

    /** Parses {@code --tree-budget}: "auto" or a token count. */
    public static StagedConfig parseBudget(String flag) {
        String s = flag.trim().toLowerCase(Locale.ROOT);
        if (s.equals("auto")) return auto();
        try {
            return forBudget(Integer.parseInt(s));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--tree-budget must be auto or a token count, not '" + flag + "'");
        }
    }

    public StagedConfig withoutNgram() {
        return new StagedConfig(treeBudget, maxDepth, beamWidth, children, 0, autoBudget);
    }

    public String describe() {
        return (autoBudget ? "auto (at most " + treeBudget + ")" : Integer.toString(treeBudget))
                + String.format(Locale.ROOT, ", depth %d, width %d, children %d, n-gram lookahead %d", maxDepth, beamWidth, children, ngramLookahead);
    }
}

package ssd.decoder.decoding;

import ssd.decoder.cache.KVCache;
import ssd.decoder.forward.Forward;
import ssd.decoder.forward.Readout;
import ssd.decoder.forward.ReadoutRows;
import ssd.decoder.model.GPT2Model;

import java.util.Arrays;
import java.util.List;

/**
 * Standard speculative decoding's proposer (Leviathan et al. 2022; Chen et al. 2023): the draft proposes a chain of
 * gamma tokens, one forward each: the backlog (ending with the root), then one token at a time. The draft reads every
 * proposal but the last. When sampling, each proposal is drawn from the draft's sampling distribution
 * ({@link TargetDistribution}), which rejection sampling needs; greedy takes the draft's argmax.
 */
final class ChainProposer implements Proposer {
    private final Forward draft;
    private final int gamma;

    ChainProposer(Forward draft, int gamma) {
        if (gamma < 1) throw new IllegalArgumentException("--gamma must be at least 1, got " + gamma);
        this.draft = draft;
        this.gamma = gamma;
    }

    @Override
    public int oracleScratch() {
        return gamma + 1;
    }

    @Override
    public int draftScratch() {
        return gamma + 2;
    }

    /** The draft's argmax when greedy; its sampling distribution (the proposals' q) otherwise. */
    private static Readout readout(SamplingConfig sampling) {
        return sampling.isGreedy() ? Readout.argmax() : TargetDistribution.readout(sampling);
    }

    @Override
    public List<Readout> draftReadouts(SamplingConfig sampling) {
        return List.of(readout(sampling));
    }

    @Override
    public Proposal propose(KVCache draftCache, TokenSequence seq, int maxDepth, Sampler sampler, DecodeStats stats) {
        int g = Math.min(gamma, maxDepth);
        DraftTree tree = new DraftTree(seq.last(), g + 1);
        int[] feed = seq.backlog(draftCache.length());
        int[] draftNodes = new int[g + 1];
        draftNodes[0] = feed.length - 1;
        int[] parents = GPT2Model.chain(feed.length, -1);
        int parentNode = 0;
        SamplingConfig sampling = sampler.config();
        Readout readout = readout(sampling);
        for (int i = 0; i < g; i++) {
            long t0 = System.nanoTime();
            ReadoutRows scores = draft.score(draftCache, feed, parents, readout);
            int row = feed.length - 1;
            int token;
            SparseDistribution q = null;
            if (sampling.isGreedy()) {
                token = scores.token(row, 0);
            } else {
                // Only the last row is read: the backlog's other rows are settled tokens.
                q = TargetDistribution.of(new ReadoutRows(1, scores.columns(),
                        Arrays.copyOfRange(scores.values(), row * scores.columns(), (row + 1) * scores.columns()), scores.stats()))[0];
                token = sampler.sample(q);
            }
            stats.draftForward(scores.stats(), System.nanoTime() - t0);
            parentNode = tree.add(parentNode, token, TokenOrigin.DRAFT, q);
            draftNodes[parentNode] = i + 1 < g ? draftCache.pendingCount() : -1;
            feed = new int[]{token};
            parents = new int[]{draftCache.pendingCount() - 1};
        }
        return new Proposal(tree, draftNodes);
    }
}

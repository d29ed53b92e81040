package ssd.decoder.decoding;

import ssd.decoder.model.GPT2Model;
import ssd.decoder.model.KVCache;
import ssd.decoder.model.Logits;

/**
 * Standard speculative decoding (Leviathan et al. 2022; Chen et al. 2023): the draft proposes a chain of gamma tokens
 * from its own cache, the oracle scores root + chain in one forward, and {@link Verifier} keeps the longest valid
 * prefix plus one oracle token. When sampling, each proposal is drawn from the draft's (top-k, temperature)
 * distribution, which is what rejection sampling needs.
 */
public final class SpeculativeDecoder implements Decoder {
    private final GPT2Model draft;
    private final int gamma;
    private final SpeculationLoop loop;

    public SpeculativeDecoder(GPT2Model oracle, GPT2Model draft, int gamma) {
        this(oracle, draft, gamma, new ExactVerifier(), Detokenizer.forVocab(oracle.config().vocabSize()));
    }

    public SpeculativeDecoder(GPT2Model oracle, GPT2Model draft, int gamma, Verifier verifier, Detokenizer detokenizer) {
        if (gamma < 1) throw new IllegalArgumentException("--gamma must be at least 1, got " + gamma);
        this.draft = draft;
        this.gamma = gamma;
        this.loop = new SpeculationLoop(oracle, draft, verifier, detokenizer);
    }

    @Override
    public String name() {
        return "speculative";
    }

    @Override
    public Generation generate(int[] prompt, SamplingConfig sampling, StopConditions stop) {
        return loop.run(prompt, sampling, stop, this::proposeChain, gamma + 1, gamma + 2, gamma);
    }

    /**
     * g sequential draft forwards: the backlog (ending with the root), then one token at a time. The draft reads
     * every proposal but the last.
     */
    private Proposal proposeChain(KVCache draftCache, TokenSequence seq, int g, Sampler sampler, DecodeStats stats) {
        DraftTree tree = new DraftTree(seq.last());
        int[] feed = seq.backlog(draftCache.length());
        int[] draftNodes = new int[g + 1];
        draftNodes[0] = feed.length - 1;
        int[] parents = GPT2Model.chain(feed.length, -1);
        int parentNode = 0;
        for (int i = 0; i < g; i++) {
            long t0 = System.nanoTime();
            try (Logits logits = draft.forward(draftCache, feed, parents)) {
                int row = feed.length - 1;
                int token;
                double[] q = null;
                if (sampler.config().isGreedy()) {
                    token = logits.argmax(row);
                } else {
                    q = sampler.distribution(logits.row(row));
                    token = sampler.sample(q);
                }
                stats.draftForward(logits.stats(), System.nanoTime() - t0);
                parentNode = tree.add(parentNode, token, TokenOrigin.DRAFT, q);
                draftNodes[parentNode] = i + 1 < g ? draftCache.pendingCount() : -1;
                feed = new int[]{token};
                parents = new int[]{draftCache.pendingCount() - 1};
            }
        }
        return new Proposal(tree, draftNodes);
    }
}

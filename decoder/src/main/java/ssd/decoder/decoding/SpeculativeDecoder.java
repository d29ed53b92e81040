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
    private final GPT2Model oracle;
    private final GPT2Model draft;
    private final int gamma;
    private final Verifier verifier;
    private final Detokenizer detokenizer;

    public SpeculativeDecoder(GPT2Model oracle, GPT2Model draft, int gamma) {
        this(oracle, draft, gamma, new ExactVerifier(), Detokenizer.forVocab(oracle.config().vocabSize()));
    }

    public SpeculativeDecoder(GPT2Model oracle, GPT2Model draft, int gamma, Verifier verifier, Detokenizer detokenizer) {
        if (gamma < 1) throw new IllegalArgumentException("--gamma must be at least 1, got " + gamma);
        Vocabularies.checkSame(oracle, draft, "draft");
        this.oracle = oracle;
        this.draft = draft;
        this.gamma = gamma;
        this.verifier = verifier;
        this.detokenizer = detokenizer;
    }

    @Override
    public String name() {
        return "speculative";
    }

    @Override
    public Generation generate(int[] prompt, SamplingConfig sampling, StopConditions stop) {
        Prompts.check(prompt, oracle.config());
        Sampler sampler = new Sampler(sampling);
        DecodeStats stats = new DecodeStats();
        OutputSink out = new OutputSink(stop, detokenizer);
        TokenSequence seq = new TokenSequence(prompt);
        long start = System.nanoTime();
        try (KVCache oracleCache = oracle.newCache(gamma + 1); KVCache draftCache = draft.newCache(gamma + prompt.length + 1)) {
            Prefill.settled(oracle, oracleCache, seq, stats);
            Prefill.settled(draft, draftCache, seq, stats);
            while (!out.stopped()) {
                int room = oracle.config().nPositions() - oracleCache.length() - 1; // positions left after the root
                if (room < 0) {
                    out.contextFull();
                    break;
                }
                int g = Math.min(gamma, Math.min(room, out.remaining() - 1));
                DraftTree tree = g > 0 ? proposeChain(draftCache, seq, g, sampler, stats) : new DraftTree(seq.last());
                Verifier.Result result;
                long t0 = System.nanoTime();
                try (Logits logits = oracle.forward(oracleCache, tree.tokens(), tree.parents())) {
                    result = verifier.verify(tree, logits, sampler);
                    stats.oracleCall(logits.stats(), result.accepted(), System.nanoTime() - t0);
                }
                oracleCache.commit(result.path());
                Rounds.emitAndAdvance(tree, result, out, seq);
                // The draft read its backlog (ending with the root) and the chain except its last token.
                if (g > 0) Rounds.commitDraftPath(draftCache, draftCache.pendingCount() - (g - 1), Math.min(result.accepted(), g - 1));
            }
        }
        stats.total(System.nanoTime() - start);
        return out.finish(prompt, stats);
    }

    /** gamma sequential draft forwards: the backlog (ending with the root), then one token at a time. */
    private DraftTree proposeChain(KVCache draftCache, TokenSequence seq, int g, Sampler sampler, DecodeStats stats) {
        DraftTree tree = new DraftTree(seq.last());
        int[] feed = seq.backlog(draftCache.length());
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
                feed = new int[]{token};
                parents = new int[]{draftCache.pendingCount() - 1};
            }
        }
        return tree;
    }
}

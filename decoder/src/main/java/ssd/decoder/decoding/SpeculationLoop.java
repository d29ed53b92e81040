package ssd.decoder.decoding;

import ssd.decoder.model.GPT2Model;
import ssd.decoder.model.KVCache;
import ssd.decoder.model.Logits;

import java.util.ArrayList;
import java.util.List;

/**
 * The round structure shared by speculative and staged decoding: the draft side proposes a tree, the oracle scores
 * it in one forward, the verifier picks the accepted path and the oracle's next token, both caches keep what lies on
 * that path, and the tokens are emitted under the stop conditions.
 */
final class SpeculationLoop {
    /** Makes one round's proposals, at most {@code maxDepth} deep (0: none, the oracle decodes alone). */
    interface Proposer {
        Proposal propose(KVCache draftCache, TokenSequence seq, int maxDepth, Sampler sampler, DecodeStats stats);
    }

    private final GPT2Model oracle;
    private final GPT2Model draft;
    private final Verifier verifier;
    private final Detokenizer detokenizer;

    SpeculationLoop(GPT2Model oracle, GPT2Model draft, Verifier verifier, Detokenizer detokenizer) {
        Vocabularies.checkSame(oracle, draft, "draft");
        this.oracle = oracle;
        this.draft = draft;
        this.verifier = verifier;
        this.detokenizer = detokenizer;
    }

    /**
     * @param oracleScratch most tokens in one oracle batch
     * @param draftScratch  most pending draft nodes in one round, backlog included
     * @param depthCap      deepest proposal the proposer makes
     */
    Generation run(int[] prompt, SamplingConfig sampling, StopConditions stop, Proposer proposer, int oracleScratch,
                   int draftScratch, int depthCap) {
        Prompts.check(prompt, oracle.config());
        Sampler sampler = new Sampler(sampling);
        DecodeStats stats = new DecodeStats();
        OutputSink out = new OutputSink(stop, detokenizer);
        TokenSequence seq = new TokenSequence(prompt);
        long start = System.nanoTime();
        try (KVCache oracleCache = oracle.newCache(oracleScratch); KVCache draftCache = draft.newCache(draftScratch + prompt.length)) {
            Prefill.settled(oracle, oracleCache, seq, stats);
            Prefill.settled(draft, draftCache, seq, stats);
            while (!out.stopped()) {
                int room = oracle.config().nPositions() - oracleCache.length() - 1; // positions left after the root
                if (room < 0) {
                    out.contextFull();
                    break;
                }
                int maxDepth = Math.min(depthCap, Math.min(room, out.remaining() - 1));
                Proposal proposal = maxDepth > 0 ? proposer.propose(draftCache, seq, maxDepth, sampler, stats)
                        : new Proposal(new DraftTree(seq.last()), new int[]{-1});
                DraftTree tree = proposal.tree();
                Verifier.Result result;
                long t0 = System.nanoTime();
                try (Logits logits = oracle.forward(oracleCache, tree.tokens(), tree.parents())) {
                    result = verifier.verify(tree, logits, sampler);
                    stats.oracleCall(logits.stats(), result.accepted(), System.nanoTime() - t0);
                }
                oracleCache.commit(result.path());
                commitDraft(draftCache, proposal, result);
                Rounds.emitAndAdvance(tree, result, out, seq);
            }
        }
        stats.total(System.nanoTime() - start);
        return out.finish(prompt, stats);
    }

    /** Keeps, in the draft cache, the backlog chain and the accepted nodes the draft has read; drops the rest. */
    private static void commitDraft(KVCache draftCache, Proposal proposal, Verifier.Result result) {
        if (draftCache.pendingCount() == 0) return;
        int rootNode = proposal.draftNodes()[0];
        List<Integer> path = new ArrayList<>();
        for (int i = 0; i <= rootNode; i++) path.add(i); // the backlog chain, ending with the root
        for (int i = 1; i < result.path().length; i++) {
            int d = proposal.draftNodes()[result.path()[i]];
            if (d < 0) break;
            path.add(d);
        }
        draftCache.commit(path.stream().mapToInt(Integer::intValue).toArray());
    }
}

package ssd.decoder.decoding;

import ssd.decoder.cache.KVCache;
import ssd.decoder.forward.Forward;
import ssd.decoder.forward.Readout;
import ssd.decoder.forward.ReadoutRows;

import java.util.ArrayList;
import java.util.List;

/**
 * The round structure shared by speculative and staged decoding: the proposer builds a batch with the draft, the
 * oracle scores it in one forward (reduced on the device to what the verifier reads), the verifier picks the
 * accepted path and the oracle's next token, both caches keep what lies on that path, and the tokens are emitted
 * under the stop conditions. Speculative and staged decoding are this loop with two proposers.
 */
final class SpeculationLoop implements Decoder {
    private final String name;
    private final Forward oracle;
    private final Forward draft;
    private final Proposer proposer;
    private final Verifier verifier;
    private final Detokenizer detokenizer;

    SpeculationLoop(String name, Forward oracle, Forward draft, Proposer proposer, Verifier verifier, Detokenizer detokenizer) {
        Vocabularies.checkSame(oracle.model(), draft.model(), "draft");
        this.name = name;
        this.oracle = oracle;
        this.draft = draft;
        this.proposer = proposer;
        this.verifier = verifier;
        this.detokenizer = detokenizer;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void warmUp(SamplingConfig sampling) {
        // Settled prompts are read with argmax readouts (Prefill.settled), rounds with what verifier and proposer read.
        oracle.warmUp(proposer.oracleScratch(), oracle.maxFixedRows(), distinct(Readout.argmax(), List.of(OracleScores.readout(sampling))));
        draft.warmUp(proposer.draftScratch(), draft.maxFixedRows(), distinct(Readout.argmax(), proposer.draftReadouts(sampling)));
        proposer.measureCosts(oracle, sampling);
    }

    private static List<Readout> distinct(Readout first, List<Readout> rest) {
        List<Readout> all = new ArrayList<>(List.of(first));
        for (Readout r : rest) if (!all.contains(r)) all.add(r);
        return all;
    }

    @Override
    public Generation generate(int[] prompt, SamplingConfig sampling, StopConditions stop) {
        Prompts.check(prompt, oracle.model().config());
        Sampler sampler = new Sampler(sampling);
        DecodeStats stats = new DecodeStats();
        OutputSink out = new OutputSink(stop, detokenizer);
        TokenSequence seq = new TokenSequence(prompt);
        int context = oracle.model().config().nPositions();
        Readout oracleReadout = OracleScores.readout(sampling);
        long start = System.nanoTime();
        try (KVCache oracleCache = oracle.newCache(proposer.oracleScratch()); KVCache draftCache = draft.newCache(proposer.draftScratch())) {
            Prefill.settled(oracle, oracleCache, seq, stats);
            Prefill.settled(draft, draftCache, seq, stats);
            while (!out.stopped()) {
                int room = context - oracleCache.length() - 1; // positions left after the root
                if (room < 0) {
                    out.contextFull();
                    break;
                }
                int maxDepth = Math.min(room, out.remaining() - 1);
                Proposal proposal = maxDepth > 0 ? proposer.propose(draftCache, seq, maxDepth, sampler, stats)
                        : new Proposal(new DraftTree(seq.last()), new int[]{-1});
                DraftTree tree = proposal.tree();
                long t0 = System.nanoTime();
                ReadoutRows scores = oracle.score(oracleCache, tree.tokens(), tree.parents(), oracleReadout);
                Verifier.Result result = verifier.verify(tree, OracleScores.of(scores, sampling), sampler);
                stats.oracleCall(scores.stats(), result.accepted(), System.nanoTime() - t0);
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
        int[] accepted = result.path();
        int[] path = new int[rootNode + accepted.length];
        int n = 0;
        for (int i = 0; i <= rootNode; i++) path[n++] = i; // the backlog chain, ending with the root
        for (int i = 1; i < accepted.length; i++) {
            int d = proposal.draftNodes()[accepted[i]];
            if (d < 0) break;
            path[n++] = d;
        }
        draftCache.commit(java.util.Arrays.copyOf(path, n));
    }
}

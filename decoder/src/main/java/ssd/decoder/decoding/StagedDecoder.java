package ssd.decoder.decoding;

import ssd.decoder.model.GPT2Model;
import ssd.decoder.model.KVCache;
import ssd.decoder.model.Logits;
import ssd.decoder.ngram.KatzTrigram;

import java.util.ArrayList;
import java.util.List;

/**
 * Staged speculative decoding (Spector &amp; Ré 2023): the oracle verifies a tree of candidates built by
 * {@link TreeBuilder} (draft, sped up by the n-gram), and {@link Verifier} accepts the deepest valid path plus one
 * oracle token. With no n-gram it is tree-only speculative decoding.
 */
public final class StagedDecoder implements Decoder {
    private final GPT2Model oracle;
    private final GPT2Model draft;
    private final StagedConfig config;
    private final TreeBuilder builder;
    private final Verifier verifier;
    private final Detokenizer detokenizer;

    public StagedDecoder(GPT2Model oracle, GPT2Model draft, KatzTrigram ngram, StagedConfig config) {
        this(oracle, draft, ngram, config, new ExactVerifier(), Detokenizer.forVocab(oracle.config().vocabSize()));
    }

    public StagedDecoder(GPT2Model oracle, GPT2Model draft, KatzTrigram ngram, StagedConfig config, Verifier verifier,
                         Detokenizer detokenizer) {
        Vocabularies.checkSame(oracle, draft, "draft");
        if (ngram != null) Vocabularies.check(oracle.config().vocabSize(), ngram.vocabSize(), "n-gram");
        this.oracle = oracle;
        this.draft = draft;
        this.config = ngram == null ? config.withoutNgram() : config;
        this.builder = new TreeBuilder(draft, ngram, this.config);
        this.verifier = verifier;
        this.detokenizer = detokenizer;
    }

    @Override
    public String name() {
        return "staged";
    }

    @Override
    public Generation generate(int[] prompt, SamplingConfig sampling, StopConditions stop) {
        Prompts.check(prompt, oracle.config());
        Sampler sampler = new Sampler(sampling);
        DecodeStats stats = new DecodeStats();
        OutputSink out = new OutputSink(stop, detokenizer);
        TokenSequence seq = new TokenSequence(prompt);
        long start = System.nanoTime();
        int draftScratch = config.maxDepth() * config.beamWidth() * (1 + config.ngramLookahead()) + prompt.length + config.maxDepth() + 2;
        try (KVCache oracleCache = oracle.newCache(config.treeBudget()); KVCache draftCache = draft.newCache(draftScratch)) {
            Prefill.settled(oracle, oracleCache, seq, stats);
            Prefill.settled(draft, draftCache, seq, stats);
            while (!out.stopped()) {
                int room = oracle.config().nPositions() - oracleCache.length() - 1;
                if (room < 0) {
                    out.contextFull();
                    break;
                }
                int maxDepth = Math.min(room, out.remaining() - 1);
                TreeBuilder.Round round = builder.build(draftCache, seq, maxDepth, sampling, stats);
                DraftTree tree = round.tree();
                Verifier.Result result;
                long t0 = System.nanoTime();
                try (Logits logits = oracle.forward(oracleCache, tree.tokens(), tree.parents())) {
                    result = verifier.verify(tree, logits, sampler);
                    stats.oracleCall(logits.stats(), result.accepted(), System.nanoTime() - t0);
                }
                oracleCache.commit(result.path());
                commitDraft(draftCache, round, result);
                Rounds.emitAndAdvance(tree, result, out, seq);
            }
        }
        stats.total(System.nanoTime() - start);
        return out.finish(prompt, stats);
    }

    /** Keeps, in the draft cache, the backlog chain and the accepted nodes the draft has read; drops the rest. */
    private static void commitDraft(KVCache draftCache, TreeBuilder.Round round, Verifier.Result result) {
        if (draftCache.pendingCount() == 0) return;
        int rootNode = round.draftNodes()[0];
        List<Integer> path = new ArrayList<>();
        for (int i = 0; i <= rootNode; i++) path.add(i); // the backlog chain, ending with the root
        for (int i = 1; i < result.path().length; i++) {
            int d = round.draftNodes()[result.path()[i]];
            if (d < 0) break;
            path.add(d);
        }
        draftCache.commit(path.stream().mapToInt(Integer::intValue).toArray());
    }
}

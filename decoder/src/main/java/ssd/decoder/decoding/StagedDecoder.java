package ssd.decoder.decoding;

import ssd.decoder.model.GPT2Model;
import ssd.decoder.ngram.KatzTrigram;

/**
 * Staged speculative decoding (Spector &amp; Ré 2023): the oracle verifies a tree of candidates built by
 * {@link TreeBuilder} (draft, sped up by the n-gram), and {@link Verifier} accepts the deepest valid path plus one
 * oracle token. With no n-gram it is tree-only speculative decoding.
 */
public final class StagedDecoder implements Decoder {
    private final StagedConfig config;
    private final TreeBuilder builder;
    private final SpeculationLoop loop;

    public StagedDecoder(GPT2Model oracle, GPT2Model draft, KatzTrigram ngram, StagedConfig config) {
        this(oracle, draft, ngram, config, new ExactVerifier(), Detokenizer.forVocab(oracle.config().vocabSize()));
    }

    public StagedDecoder(GPT2Model oracle, GPT2Model draft, KatzTrigram ngram, StagedConfig config, Verifier verifier,
                         Detokenizer detokenizer) {
        this.loop = new SpeculationLoop(oracle, draft, verifier, detokenizer);
        if (ngram != null) Vocabularies.check(oracle.config().vocabSize(), ngram.vocabSize(), "n-gram");
        this.config = ngram == null ? config.withoutNgram() : config;
        this.builder = new TreeBuilder(draft, ngram, this.config);
    }

    @Override
    public String name() {
        return "staged";
    }

    @Override
    public Generation generate(int[] prompt, SamplingConfig sampling, StopConditions stop) {
        int draftScratch = config.maxDepth() * config.beamWidth() * (1 + config.ngramLookahead()) + config.maxDepth() + 2;
        return loop.run(prompt, sampling, stop, (draftCache, seq, maxDepth, sampler, stats) ->
                builder.build(draftCache, seq, maxDepth, sampling, stats), config.treeBudget(), draftScratch, Integer.MAX_VALUE);
    }
}

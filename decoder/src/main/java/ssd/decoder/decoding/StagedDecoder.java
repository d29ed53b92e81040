package ssd.decoder.decoding;

import ssd.decoder.forward.Forward;
import ssd.decoder.ngram.KatzTrigram;

/**
 * Staged speculative decoding (Spector &amp; Ré 2023): the oracle verifies a tree of candidates built by
 * {@link TreeProposer} (draft, sped up by the n-gram), and the {@link Verifier} accepts the deepest valid path plus
 * one oracle token. With no n-gram it is tree-only speculative decoding.
 */
public final class StagedDecoder {
    private StagedDecoder() {
    }

    public static Decoder create(Forward oracle, Forward draft, KatzTrigram ngram, StagedConfig config) {
        return create(oracle, draft, ngram, config, new ExactVerifier(), Detokenizer.forVocab(oracle.model().config().vocabSize()));
    }

    public static Decoder create(Forward oracle, Forward draft, KatzTrigram ngram, StagedConfig config, Verifier verifier,
                                 Detokenizer detokenizer) {
        if (ngram != null) Vocabularies.check(oracle.model().config().vocabSize(), ngram.vocabSize(), "n-gram");
        StagedConfig c = ngram == null ? config.withoutNgram() : config;
        return new SpeculationLoop("staged", oracle, draft, new TreeProposer(draft, ngram, c), verifier, detokenizer);
    }
}

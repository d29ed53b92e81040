package ssd.decoder.decoding;

import ssd.decoder.forward.Forward;

/**
 * Standard speculative decoding: {@link ChainProposer}'s chain of gamma draft tokens, scored by the oracle in one
 * forward, kept up to the first the {@link Verifier} rejects, plus one oracle token.
 */
public final class SpeculativeDecoder {
    private SpeculativeDecoder() {
    }

    public static Decoder create(Forward oracle, Forward draft, int gamma) {
        return create(oracle, draft, gamma, new ExactVerifier(), Detokenizer.forVocab(oracle.model().config().vocabSize()));
    }

    public static Decoder create(Forward oracle, Forward draft, int gamma, Verifier verifier, Detokenizer detokenizer) {
        return new SpeculationLoop("speculative", oracle, draft, new ChainProposer(draft, gamma), verifier, detokenizer);
    }
}

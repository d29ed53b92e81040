package ssd.decoder.decoding;

import ssd.decoder.model.GPT2Model;
import ssd.decoder.model.TestModels;
import ssd.decoder.ngram.KatzTrigram;

/** The decoding methods on eager forwards of CPU test models (eager forwards hold nothing to close). */
final class Methods {
    private Methods() {
    }

    static Decoder baseline(GPT2Model oracle) {
        return new BaselineDecoder(TestModels.eager(oracle));
    }

    static Decoder speculative(GPT2Model oracle, GPT2Model draft, int gamma) {
        return SpeculativeDecoder.create(TestModels.eager(oracle), TestModels.eager(draft), gamma);
    }

    static Decoder speculative(GPT2Model oracle, GPT2Model draft, int gamma, Verifier verifier, Detokenizer detokenizer) {
        return SpeculativeDecoder.create(TestModels.eager(oracle), TestModels.eager(draft), gamma, verifier, detokenizer);
    }

    static Decoder staged(GPT2Model oracle, GPT2Model draft, KatzTrigram ngram, StagedConfig config) {
        return StagedDecoder.create(TestModels.eager(oracle), TestModels.eager(draft), ngram, config);
    }
}

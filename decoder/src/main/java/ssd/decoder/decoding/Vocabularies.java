package ssd.decoder.decoding;

import ssd.decoder.model.GPT2Model;

/** Speculation only makes sense when every stage shares the oracle's vocabulary. */
final class Vocabularies {
    private Vocabularies() {
    }

    static void checkSame(GPT2Model oracle, GPT2Model other, String what) {
        check(oracle.config().vocabSize(), other.config().vocabSize(), what);
    }

    static void check(int oracleVocab, int otherVocab, String what) {
        if (oracleVocab != otherVocab) {
            throw new IllegalArgumentException("the " + what + "'s vocabulary has " + otherVocab + " tokens but the oracle's has "
                    + oracleVocab + "; they must be the same");
        }
    }
}

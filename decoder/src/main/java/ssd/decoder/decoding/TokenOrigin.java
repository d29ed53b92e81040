package ssd.decoder.decoding;

/** Which model proposed an emitted token (the oracle verified all of them). Feeds Figure 3. */
public enum TokenOrigin {
    /** Proposed by the n-gram (draft-squared) and kept. */
    NGRAM,
    /** Proposed by the draft model and kept. */
    DRAFT,
    /** The oracle's own token: a correction after a rejection, a bonus token, or any baseline token. */
    ORACLE
}

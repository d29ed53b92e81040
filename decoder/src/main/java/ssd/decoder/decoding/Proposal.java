package ssd.decoder.decoding;

/**
 * One round's proposals: the oracle's batch, and for each of its nodes the pending index in the draft's cache
 * (-1 where the draft never read that token, e.g. the last token of a chain or a tree leaf).
 */
record Proposal(DraftTree tree, int[] draftNodes) {
}

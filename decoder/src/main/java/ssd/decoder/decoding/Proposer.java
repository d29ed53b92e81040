package ssd.decoder.decoding;

import ssd.decoder.forward.Readout;
import java.util.List;

import ssd.decoder.cache.KVCache;
import ssd.decoder.forward.Forward;

/**
 * Who proposes, apart from who verifies: a draft-side strategy that turns the settled sequence into one round's
 * oracle batch, reading what it needs into the draft's cache. {@link ChainProposer} is standard speculative
 * decoding, {@link TreeProposer} the staged tree with its n-gram stage. Each says how much room its caches need.
 */
interface Proposer {
    /** Most tokens in one oracle batch, root included. */
    int oracleScratch();

    /** Most pending draft nodes in one round, backlog included. */
    int draftScratch();

    /**
     * One round's proposals, at most {@code maxDepth} deep (at least 1); the draft cache has read the settled prefix
     * up to its own length, and {@code seq.backlog(draftCache.length())} is what it still lacks.
     */
    Proposal propose(KVCache draftCache, TokenSequence seq, int maxDepth, Sampler sampler, DecodeStats stats);

    /** What the proposer reads of the draft's forwards under {@code sampling} (every one warm-up must capture). */
    List<Readout> draftReadouts(SamplingConfig sampling);

    /** Called once after warm-up: a proposer that weighs costs measures them here, as {@code sampling} runs them. */
    default void measureCosts(Forward oracle, SamplingConfig sampling) {
    }
}

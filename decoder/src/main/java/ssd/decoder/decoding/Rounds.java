package ssd.decoder.decoding;

import ssd.decoder.model.KVCache;

/** The end of a speculative round, shared by the chain and tree decoders. */
final class Rounds {
    private Rounds() {
    }

    /** Emits the accepted proposals and the oracle's token (stopping exactly where the stop conditions say). */
    static void emitAndAdvance(DraftTree tree, Verifier.Result result, OutputSink out, TokenSequence seq) {
        int[] path = result.path();
        for (int i = 1; i < path.length; i++) {
            DraftTree.Node node = tree.node(path[i]);
            seq.append(node.token());
            if (out.emit(node.token(), node.origin())) return;
        }
        seq.append(result.nextToken());
        out.emit(result.nextToken(), TokenOrigin.ORACLE);
    }

    /**
     * Commits, in a draft cache, the backlog chain (pending nodes {@code [0, backlogNodes)}) plus the first
     * {@code acceptedSeen} accepted proposals, which the draft read as a chain right after the backlog.
     * Everything else the draft read is dropped; tokens it has not read stay in the sequence's backlog.
     */
    static void commitDraftPath(KVCache draftCache, int backlogNodes, int acceptedSeen) {
        int keep = backlogNodes + acceptedSeen;
        int[] path = new int[keep];
        for (int i = 0; i < keep; i++) path[i] = i;
        draftCache.commit(path);
    }
}

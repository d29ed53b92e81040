package ssd.decoder.decoding;

/** The end of a speculative round, shared by the chain and tree proposers. */
final class Rounds {
    private Rounds() {
    }

    /** Emits the accepted proposals and the oracle's token (stopping exactly where the stop conditions say). */
    static void emitAndAdvance(DraftTree tree, Verifier.Result result, OutputSink out, TokenSequence seq) {
        int[] path = result.path();
        for (int i = 1; i < path.length; i++) {
            int token = tree.token(path[i]);
            seq.append(token);
            if (out.emit(token, tree.origin(path[i]))) return;
        }
        seq.append(result.nextToken());
        out.emit(result.nextToken(), TokenOrigin.ORACLE);
    }
}

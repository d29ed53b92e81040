package ssd.decoder.decoding;

/** Decides which path of a {@link DraftTree} the oracle accepts, and the oracle's own token after it. */
public interface Verifier {
    /** The accepted nodes (root first, root included) and the token the oracle emits after the last of them. */
    record Result(int[] path, int nextToken) {
        public int accepted() {
            return path.length - 1;
        }
    }

    /** {@code scores} row i holds what the oracle predicts after tree node i. */
    Result verify(DraftTree tree, OracleScores scores, Sampler sampler);
}

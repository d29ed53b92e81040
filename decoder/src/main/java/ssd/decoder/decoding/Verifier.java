package ssd.decoder.decoding;

import ssd.decoder.model.Logits;

/** Decides which path of a {@link DraftTree} the oracle accepts, and the oracle's own token after it. */
public interface Verifier {
    /** The accepted nodes (root first, root included) and the token the oracle emits after the last of them. */
    record Result(int[] path, int nextToken) {
        public int accepted() {
            return path.length - 1;
        }
    }

    /** {@code logits.row(i)} holds the oracle's next-token logits after tree node i. */
    Result verify(DraftTree tree, Logits logits, Sampler sampler);
}

package ssd.roofline;

/**
 * The shape of a GPT-2 model: everything the cost model needs, nothing about weights.
 * Read it from a preset name or a Hugging Face {@code config.json} with {@link ModelShapes}.
 *
 * @param nLayer     transformer blocks
 * @param nEmbd      model width d
 * @param nHead      attention heads (must divide d)
 * @param vocabSize  vocabulary size V (the LM head is tied to the token embedding)
 * @param nPositions learned positions P
 */
public record ModelShape(int nLayer, int nEmbd, int nHead, int vocabSize, int nPositions) {

    public ModelShape {
        requirePositive("n_layer", nLayer);
        requirePositive("n_embd", nEmbd);
        requirePositive("n_head", nHead);
        requirePositive("vocab_size", vocabSize);
        requirePositive("n_positions", nPositions);
        if (nEmbd % nHead != 0) {
            throw new IllegalArgumentException("n_embd " + nEmbd + " is not divisible by n_head " + nHead);
        }
    }

    private static void requirePositive(String key, int value) {
        if (value <= 0) throw new IllegalArgumentException(key + " must be a positive integer, got " + value);
    }

    public int headDim() {
        return nEmbd / nHead;
    }

    /** Parameters of one block: QKV, attention projection and MLP weights plus their biases and both layer norms. */
    public long parametersPerLayer() {
        long d = nEmbd;
        return 12 * d * d + 13 * d;
    }

    /** Parameters outside the embeddings: the blocks and the final layer norm (what "2 FLOPs per parameter" counts). */
    public long nonEmbeddingParameters() {
        return nLayer * parametersPerLayer() + 2L * nEmbd;
    }

    /** All parameters with the LM head tied to the token embedding, as in GPT-2. */
    public long parameters() {
        return nonEmbeddingParameters() + (long) vocabSize * nEmbd + (long) nPositions * nEmbd;
    }

    /** One line for tables, e.g. "36x1280, 20 heads, vocab 50257 (774.0M params)". */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "%dx%d, %d heads, vocab %d (%.1fM params)",
                nLayer, nEmbd, nHead, vocabSize, parameters() / 1e6);
    }
}

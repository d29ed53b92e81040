package ssd.decoder.forward;

import ssd.decoder.model.GPT2Model;

/**
 * What one forward did, for traffic accounting: new tokens, keys attended (prefix + pending), and the bytes of
 * weights and KV cache it read and wrote, computed from the sizes of the tensors it touched.
 */
public record ForwardStats(int newTokens, int attendedKeys, long weightBytesRead, long kvBytesRead, long kvBytesWritten) {
    public long bytesRead() {
        return weightBytesRead + kvBytesRead;
    }

    /** The stats of an n-token forward attending to {@code keysAttended} keys (the same on every path). */
    public static ForwardStats of(GPT2Model model, int n, int keysAttended) {
        long elem = model.weights().wte().element_size();
        long rowBytes = (long) model.config().nEmbd() * elem;
        // Embedding lookups read n rows of wte and wpe; the LM head reads all of wte (counted in matrixBytes).
        long weightBytes = model.matrixBytes() + 2L * n * rowBytes;
        long kvRead = 2L * model.config().nLayer() * keysAttended * rowBytes;
        long kvWritten = 2L * model.config().nLayer() * n * rowBytes;
        return new ForwardStats(n, keysAttended, weightBytes, kvRead, kvWritten);
    }
}

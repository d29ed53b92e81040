package ssd.decoder.model;

/**
 * What one forward did, for traffic accounting: new tokens, keys attended (prefix + pending), and the bytes of
 * weights and KV cache it read and wrote, computed from the sizes of the tensors it touched.
 */
public record ForwardStats(int newTokens, int attendedKeys, long weightBytesRead, long kvBytesRead, long kvBytesWritten) {
    public long bytesRead() {
        return weightBytesRead + kvBytesRead;
    }
}

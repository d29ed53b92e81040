package ssd.decoder.checkpoint;

import java.nio.ByteBuffer;

/** Raw tensor data to write: little-endian bytes of {@code dtype} laid out row-major in {@code shape}. */
public record NamedTensor(String name, DType dtype, long[] shape, ByteBuffer data) {
    public long byteCount() {
        return data.remaining();
    }
}

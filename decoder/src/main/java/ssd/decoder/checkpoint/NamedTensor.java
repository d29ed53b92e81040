package ssd.decoder.checkpoint;

import ssd.common.Dtype;

import java.nio.ByteBuffer;

/** Raw tensor data to write: little-endian bytes of {@code dtype} laid out row-major in {@code shape}. */
public record NamedTensor(String name, Dtype dtype, long[] shape, ByteBuffer data) {
    public long byteCount() {
        return data.remaining();
    }
}

package ssd.decoder.checkpoint;

import ssd.common.Dtype;

import java.util.Arrays;

/** One tensor's entry in a safetensors header: dtype, shape, and byte range relative to the data section. */
public record TensorInfo(String name, Dtype dtype, long[] shape, long begin, long end) {
    public long numel() {
        long n = 1;
        for (long s : shape) n *= s;
        return n;
    }

    public long byteCount() {
        return end - begin;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && begin == t.begin && end == t.end;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }
}

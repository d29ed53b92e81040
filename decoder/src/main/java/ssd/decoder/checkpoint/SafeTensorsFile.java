package ssd.decoder.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ssd.common.Dtype;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One safetensors file, opened read-only: the header is parsed and validated up front (so a bad file fails before any
 * tensor is built), tensor data is memory-mapped on demand.
 * Format: u64 little-endian header length N, N bytes of JSON header, then the data section.
 */
public final class SafeTensorsFile implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Headers above this are certainly not GPT-2 checkpoints; refusing early avoids a huge allocation. */
    private static final long MAX_HEADER_BYTES = 100L << 20;

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafeTensorsFile(Path path, FileChannel channel, long dataStart, Map<String, TensorInfo> tensors,
                            Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    public static SafeTensorsFile open(Path path) {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(path, "file not found");
        } catch (IOException e) {
            throw new CheckpointException(path, "cannot open: " + e.getMessage(), e);
        }
        try {
            return parse(path, ch);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static SafeTensorsFile parse(Path path, FileChannel ch) {
        try {
            long size = ch.size();
            if (size < 8) throw new CheckpointException(path, "file is " + size + " bytes, too short for a safetensors header");
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen <= 0 || headerLen > size - 8 || headerLen > MAX_HEADER_BYTES) {
                throw new CheckpointException(path, "header length " + Long.toUnsignedString(headerLen)
                        + " is beyond the file (" + size + " bytes); not a safetensors file or truncated");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLen);
            readFully(ch, header, 8);
            JsonNode root;
            try {
                root = JSON.readTree(header.array());
            } catch (JsonProcessingException e) {
                throw new CheckpointException(path, "malformed JSON header: " + e.getOriginalMessage());
            }
            if (root == null || !root.isObject()) throw new CheckpointException(path, "malformed JSON header: not an object");
            long dataStart = 8 + headerLen;
            long dataSize = size - dataStart;
            Map<String, TensorInfo> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                tensors.put(e.getKey(), parseEntry(path, e.getKey(), e.getValue(), dataSize));
            }
            checkNoOverlap(path, tensors.values());
            return new SafeTensorsFile(path, ch, dataStart, Collections.unmodifiableMap(tensors), metadata);
        } catch (IOException e) {
            throw new CheckpointException(path, "read failed: " + e.getMessage(), e);
        }
    }

    private static TensorInfo parseEntry(Path path, String name, JsonNode n, long dataSize) {
        JsonNode dt = n.get("dtype"), shape = n.get("shape"), offsets = n.get("data_offsets");
        if (dt == null || shape == null || offsets == null || !shape.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw new CheckpointException(path, "tensor '" + name + "': header entry needs dtype, shape and data_offsets [begin, end]");
        }
        Dtype dtype = Dtype.fromSafetensors(dt.asText());
        if (dtype == null) {
            throw new CheckpointException(path, "tensor '" + name + "': dtype " + dt.asText() + " is not supported (expected F32, F16 or BF16)");
        }
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = shape.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) {
                throw new CheckpointException(path, "tensor '" + name + "': bad shape " + shape + " (expected non-negative integers)");
            }
            dims[i] = d.asLong();
        }
        JsonNode first = offsets.get(0), second = offsets.get(1);
        long begin = first.isIntegralNumber() && first.canConvertToLong() ? first.asLong() : -1;
        long end = second.isIntegralNumber() && second.canConvertToLong() ? second.asLong() : -1;
        if (begin < 0 || end < begin || end > dataSize) {
            throw new CheckpointException(path, "tensor '" + name + "': data_offsets " + offsets
                    + " out of range of the data section (" + dataSize + " bytes)");
        }
        TensorInfo info = new TensorInfo(name, dtype, dims, begin, end);
        // Exact arithmetic: a shape whose byte count wraps a long (say [2^62] of F32 = 2^64 bytes, "0") must not pass
        // as the few bytes the offsets span, or the loader would copy 2^64 bytes out of them.
        long expected;
        try {
            long numel = 1;
            for (long d : dims) numel = Math.multiplyExact(numel, d);
            expected = Math.multiplyExact(numel, (long) dtype.bytes());
        } catch (ArithmeticException overflow) {
            throw new CheckpointException(path, "tensor '" + name + "': " + dtype.safetensorsName() + " " + info.shapeString()
                    + " needs more than 2^63 bytes; not a real tensor");
        }
        if (expected != info.byteCount()) {
            throw new CheckpointException(path, "tensor '" + name + "': " + dtype.safetensorsName() + " " + info.shapeString() + " needs "
                    + expected + " bytes but data_offsets span " + info.byteCount());
        }
        return info;
    }

    private static void checkNoOverlap(Path path, java.util.Collection<TensorInfo> infos) {
        List<TensorInfo> sorted = new ArrayList<>(infos);
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        for (int i = 1; i < sorted.size(); i++) {
            TensorInfo a = sorted.get(i - 1), b = sorted.get(i);
            if (b.begin() < a.end() && b.byteCount() > 0) {
                throw new CheckpointException(path, "tensors '" + a.name() + "' and '" + b.name() + "' overlap in the data section");
            }
        }
    }

    public Path path() {
        return path;
    }

    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** Maps one tensor's bytes (little-endian) read-only. The mapping stays valid after {@link #close()}. */
    public ByteBuffer map(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) throw new CheckpointException(path, "no tensor named '" + name + "'");
        if (info.byteCount() > Integer.MAX_VALUE) {
            throw new CheckpointException(path, "tensor '" + name + "' is larger than 2 GiB; not supported");
        }
        try {
            MappedByteBuffer buf = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + info.begin(), info.byteCount());
            return buf.order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new CheckpointException(path, "cannot map tensor '" + name + "': " + e.getMessage(), e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) throw new IOException("unexpected end of file");
            pos += n;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing useful to report: the open already failed
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }
}

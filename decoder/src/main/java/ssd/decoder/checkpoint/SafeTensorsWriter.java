package ssd.decoder.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ssd.common.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes safetensors checkpoints as Hugging Face does: one {@code model.safetensors}, or shards
 * {@code model-0000i-of-0000n.safetensors} plus {@code model.safetensors.index.json}. Every file is written to a
 * temporary name and renamed, so an interrupted write never leaves a file that looks complete.
 */
public final class SafeTensorsWriter {
    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafeTensorsWriter() {
    }

    /** Writes one file (maxShardBytes <= 0) or as many shards as needed to keep each under maxShardBytes. */
    public static List<Path> write(Path dir, List<NamedTensor> tensors, long maxShardBytes) throws IOException {
        Files.createDirectories(dir);
        for (NamedTensor t : tensors) checkSize(t);
        List<List<NamedTensor>> shards = maxShardBytes <= 0 ? List.of(tensors) : split(tensors, maxShardBytes);
        List<Path> written = new ArrayList<>();
        if (shards.size() == 1) {
            Path file = dir.resolve(SINGLE_FILE);
            writeFile(file, shards.get(0));
            Files.deleteIfExists(dir.resolve(INDEX_FILE));
            written.add(file);
            return written;
        }
        Map<String, String> weightMap = new TreeMap<>();
        long total = 0;
        for (int i = 0; i < shards.size(); i++) {
            String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
            writeFile(dir.resolve(name), shards.get(i));
            for (NamedTensor t : shards.get(i)) {
                weightMap.put(t.name(), name);
                total += t.byteCount();
            }
            written.add(dir.resolve(name));
        }
        ObjectNode index = JSON.createObjectNode();
        index.putObject("metadata").put("total_size", total);
        ObjectNode map = index.putObject("weight_map");
        weightMap.forEach(map::put);
        Path indexFile = dir.resolve(INDEX_FILE);
        writeAtomically(indexFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(index));
        Files.deleteIfExists(dir.resolve(SINGLE_FILE));
        written.add(indexFile);
        return written;
    }

    private static void checkSize(NamedTensor t) {
        long numel = 1;
        for (long s : t.shape()) numel *= s;
        if (numel * t.dtype().bytes() != t.byteCount()) {
            throw new IllegalArgumentException("tensor '" + t.name() + "': " + t.dtype().safetensorsName() + " " + java.util.Arrays.toString(t.shape())
                    + " needs " + numel * t.dtype().bytes() + " bytes, got " + t.byteCount());
        }
    }

    private static List<List<NamedTensor>> split(List<NamedTensor> tensors, long maxShardBytes) {
        List<List<NamedTensor>> shards = new ArrayList<>();
        List<NamedTensor> current = new ArrayList<>();
        long bytes = 0;
        for (NamedTensor t : tensors) {
            if (!current.isEmpty() && bytes + t.byteCount() > maxShardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(t);
            bytes += t.byteCount();
        }
        if (!current.isEmpty()) shards.add(current);
        return shards;
    }

    private static void writeFile(Path file, List<NamedTensor> tensors) throws IOException {
        ObjectNode h = JSON.createObjectNode();
        h.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        for (NamedTensor t : tensors) {
            ObjectNode e = h.putObject(t.name());
            e.put("dtype", t.dtype().safetensorsName());
            ArrayNode shape = e.putArray("shape");
            for (long s : t.shape()) shape.add(s);
            ArrayNode off = e.putArray("data_offsets");
            off.add(offset);
            off.add(offset + t.byteCount());
            offset += t.byteCount();
        }
        byte[] json = JSON.writeValueAsString(h).getBytes(StandardCharsets.UTF_8);
        // Pad the header with spaces to an 8-byte boundary so the data section is aligned, as the reference writer does.
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer prefix = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        prefix.putLong(padded).put(json);
        while (prefix.hasRemaining()) prefix.put((byte) ' ');
        prefix.flip();
        ByteBuffer[] parts = new ByteBuffer[tensors.size() + 1];
        parts[0] = prefix;
        for (int i = 0; i < tensors.size(); i++) parts[i + 1] = tensors.get(i).data().duplicate();
        replaceAtomically(file, parts);
    }

    /**
     * Writes {@code parts} through {@code FILE.tmp} ({@link AtomicFiles#writeResumable}: a rerun of a killed training
     * run overwrites what it left). On failure (a full disk, say) the temporary file is deleted, {@code file} keeps its
     * previous content, and the exception names it.
     */
    private static void replaceAtomically(Path file, ByteBuffer... parts) throws IOException {
        try {
            AtomicFiles.writeResumable(file, parts);
        } catch (UncheckedIOException e) {
            throw new IOException(e.getMessage(), e.getCause());
        }
    }

    /** Writes bytes to a temporary sibling and renames it over {@code file}. */
    public static void writeAtomically(Path file, byte[] bytes) throws IOException {
        replaceAtomically(file, ByteBuffer.wrap(bytes));
    }
}

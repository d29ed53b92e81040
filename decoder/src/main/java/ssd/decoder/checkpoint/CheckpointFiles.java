package ssd.decoder.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors files of a Hugging Face checkpoint directory: {@code model.safetensors}, or the shards named by
 * {@code model.safetensors.index.json}. Gives each tensor's header entry and its mapped bytes.
 */
public final class CheckpointFiles implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, SafeTensorsFile> files = new LinkedHashMap<>();
    private final Map<String, SafeTensorsFile> owner = new LinkedHashMap<>();

    private CheckpointFiles() {
    }

    public static CheckpointFiles open(Path dir) {
        if (!Files.isDirectory(dir)) throw new CheckpointException(dir, "not a directory (expected a checkpoint directory with config.json and model.safetensors)");
        CheckpointFiles cf = new CheckpointFiles();
        try {
            Path index = dir.resolve(SafeTensorsWriter.INDEX_FILE);
            Path single = dir.resolve(SafeTensorsWriter.SINGLE_FILE);
            if (Files.exists(index)) cf.openSharded(dir, index);
            else if (Files.exists(single)) cf.add(single, null);
            else throw new CheckpointException(dir, "no model.safetensors or model.safetensors.index.json");
            return cf;
        } catch (RuntimeException e) {
            cf.close();
            throw e;
        }
    }

    private void openSharded(Path dir, Path index) {
        JsonNode weightMap;
        try {
            weightMap = JSON.readTree(Files.readAllBytes(index)).get("weight_map");
        } catch (IOException e) {
            throw new CheckpointException(index, "malformed JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (weightMap == null || !weightMap.isObject()) throw new CheckpointException(index, "missing 'weight_map' object");
        Map<String, String> expected = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = weightMap.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            expected.put(e.getKey(), e.getValue().asText());
        }
        for (String shard : new java.util.LinkedHashSet<>(expected.values())) {
            Path p = dir.resolve(shard);
            if (!p.normalize().startsWith(dir.normalize())) throw new CheckpointException(index, "shard '" + shard + "' lies outside the checkpoint directory");
            if (!Files.exists(p)) throw new CheckpointException(p, "missing shard named in " + index.getFileName());
            add(p, shard);
        }
        for (Map.Entry<String, String> e : expected.entrySet()) {
            SafeTensorsFile f = owner.get(e.getKey());
            if (f == null || !f.path().getFileName().toString().equals(e.getValue())) {
                throw new CheckpointException(dir.resolve(e.getValue()), "tensor '" + e.getKey() + "' named in the index is not in this shard");
            }
        }
    }

    private void add(Path file, String shardName) {
        SafeTensorsFile f = SafeTensorsFile.open(file);
        files.put(file.toString(), f);
        for (String name : f.tensors().keySet()) {
            SafeTensorsFile prev = owner.put(name, f);
            if (prev != null) throw new CheckpointException(file, "tensor '" + name + "' also appears in " + prev.path());
        }
    }

    /** Tensor name to header entry, in file order. */
    public Map<String, TensorInfo> tensors() {
        Map<String, TensorInfo> all = new LinkedHashMap<>();
        owner.forEach((name, f) -> all.put(name, f.tensors().get(name)));
        return all;
    }

    public Path fileOf(String name) {
        return owner.get(name).path();
    }

    public ByteBuffer map(String name) {
        SafeTensorsFile f = owner.get(name);
        if (f == null) throw new IllegalArgumentException("no tensor named '" + name + "'");
        return f.map(name);
    }

    @Override
    public void close() {
        files.values().forEach(SafeTensorsFile::close);
    }
}

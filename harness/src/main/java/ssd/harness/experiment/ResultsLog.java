package ssd.harness.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ssd.common.AtomicFiles;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A JSONL results file written one finished record at a time (flushed), so an interrupted run keeps everything it
 * finished. On resume, complete records are kept and a torn last line is dropped.
 */
public final class ResultsLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final BufferedWriter writer;
    private final Set<String> done = new HashSet<>();
    private final List<JsonNode> existing = new ArrayList<>();

    private ResultsLog(Path file, boolean resume) throws IOException {
        this.file = file;
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        if (resume && Files.exists(file)) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            StringBuilder keep = new StringBuilder();
            for (String line : lines) {
                if (line.isBlank()) continue;
                JsonNode n;
                try {
                    n = JSON.readTree(line);
                } catch (IOException torn) {
                    continue; // a record cut off by an interruption: it will be redone
                }
                existing.add(n);
                done.add(key(n.path("task_id").asText(), n.path("method").asText()));
                keep.append(line).append('\n');
            }
            // Rewritten whole (temporary file, then rename): on a full disk the previous file stays as it was.
            byte[] kept = keep.toString().getBytes(StandardCharsets.UTF_8);
            try {
                AtomicFiles.writeResumable(file, out -> out.write(kept));
            } catch (java.io.UncheckedIOException e) {
                throw new IOException(e.getMessage(), e.getCause());
            }
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } else {
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        }
    }

    public static ResultsLog open(Path file, boolean resume) throws IOException {
        return new ResultsLog(file, resume);
    }

    static String key(String taskId, String method) {
        return taskId + "\u0000" + method;
    }

    public boolean isDone(String taskId, String method) {
        return done.contains(key(taskId, method));
    }

    /** Records kept from an earlier run of the same file. */
    public List<JsonNode> existing() {
        return existing;
    }

    public void append(ObjectNode record) throws IOException {
        try {
            writer.write(JSON.writeValueAsString(record) + '\n');
            writer.flush();
        } catch (IOException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        done.add(key(record.path("task_id").asText(), record.path("method").asText()));
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}

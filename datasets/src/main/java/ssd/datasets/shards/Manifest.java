package ssd.datasets.shards;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import ssd.common.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of a token corpus: where the text came from, what the filters removed, and per split the
 * shard files with their sha256. Shards hold little-endian uint16 GPT-2 ids, each file's tokens followed by
 * {@code <|endoftext|>}.
 */
public record Manifest(String format, String tokenizer, int endOfText, String dtype, String created, String host,
                       String python, List<String> roots, List<String> excludes, Settings settings,
                       Map<String, Long> filters, Map<String, Split> splits, Throughput throughput) {
    public static final String FORMAT = "ssd-token-shards/1";
    public static final String FILE = "manifest.json";
    /** Shards finished by a build that has not completed yet; read back to resume. */
    public static final String PARTIAL_FILE = "manifest.partial.json";
    public static final String DTYPE = "uint16-le";

    public record Settings(long maxFileBytes, int maxLineLength, double maxMeanLineLength, double minAlphanumeric,
                           double nearDuplicateJaccard, double valPercent, long shardSourceBytes) {
    }

    public record Split(long files, long bytes, long tokens, List<Shard> shards) {
    }

    /**
     * @param fingerprint sha256 of the tokenizer name and the ordered content hashes of the shard's files: equal
     *                    fingerprints mean equal shards, which is how a resumed build knows what it can keep
     */
    public record Shard(String file, long files, long bytes, long tokens, String sha256, String fingerprint) {
    }

    /**
     * @param mbPerSecondPerCore source MB read per wall-clock second per worker thread (the figure)
     * @param cpuSeconds         CPU time the process used meanwhile (all threads, JIT and GC included), or -1;
     *                           MB per CPU-second is the figure that survives a machine shared with other jobs
     */
    public record Throughput(long bytesRead, double seconds, int threads, double mbPerSecondPerCore, double cpuSeconds,
                             String cpu) {
    }

    /** The shards a build has finished so far. */
    public record Partial(List<Shard> shards) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static Manifest read(Path file) {
        return read(file, Manifest.class);
    }

    public static <T> T read(Path file, Class<T> type) {
        T value;
        try {
            value = MAPPER.readValue(file.toFile(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read corpus manifest " + file + ": " + e.getMessage(), e);
        }
        if (value == null) throw new IllegalArgumentException("corpus manifest " + file + " is empty (JSON null)");
        return value;
    }

    /** A shard's file name: a plain name inside the corpus folder, never a path that leaves it. */
    private static final java.util.regex.Pattern SHARD_FILE = java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");

    /**
     * Checks what the shard readers rely on: every split and shard entry present, shard files named plainly inside
     * the folder, sizes non-negative and checksums given. One message naming {@code file} and the entry.
     */
    public Manifest requireShardList(Path file) {
        if (splits == null) throw new IllegalArgumentException("corpus manifest " + file + " has no \"splits\"");
        for (Map.Entry<String, Split> e : splits.entrySet()) {
            String where = "corpus manifest " + file + ", split \"" + e.getKey() + "\"";
            Split split = e.getValue();
            if (split == null || split.shards() == null) throw new IllegalArgumentException(where + " has no \"shards\" list");
            for (int i = 0; i < split.shards().size(); i++) {
                Shard s = split.shards().get(i);
                String entry = where + ", shard " + i;
                if (s == null) throw new IllegalArgumentException(entry + " is null");
                if (s.file() == null || !SHARD_FILE.matcher(s.file()).matches()) {
                    throw new IllegalArgumentException(entry + ": file " + s.file() + " is not a plain file name inside the corpus folder");
                }
                if (s.tokens() < 0 || s.files() < 0 || s.bytes() < 0) {
                    throw new IllegalArgumentException(entry + " (" + s.file() + "): negative tokens, files or bytes");
                }
                if (s.sha256() == null) throw new IllegalArgumentException(entry + " (" + s.file() + ") has no sha256");
            }
        }
        return this;
    }

    public static void write(Path file, Object manifest) {
        AtomicFiles.writeResumable(file, out -> MAPPER.writeValue(out, manifest));
    }
}

package ssd.datasets.shards;

import ssd.decoder.tokenizer.Gpt2Tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A finished token corpus opened for reading: every shard's sha256 is checked against manifest.json, then the
 * shards are memory-mapped. Thread-safe for reading.
 *
 * <pre>{@code
 * TokenShards corpus = TokenShards.open(Path.of("corpus"));
 * TokenSplit train = corpus.split("train");
 * train.randomWindow(rng, 1025, window);      // training
 * for (int[] w : (Iterable<int[]>) () -> corpus.split("val").windows(1024)) { ... }   // evaluation
 * }</pre>
 */
public final class TokenShards {
    public static final String TRAIN = "train";
    public static final String VAL = "val";

    private final Path dir;
    private final Manifest manifest;
    private final Map<String, TokenSplit> splits;

    private TokenShards(Path dir, Manifest manifest, Map<String, TokenSplit> splits) {
        this.dir = dir;
        this.manifest = manifest;
        this.splits = splits;
    }

    /** Opens the corpus in {@code dir}; throws {@link CorruptShardException} naming the first bad shard. */
    public static TokenShards open(Path dir) {
        Path manifestFile = dir.resolve(Manifest.FILE);
        if (!Files.isRegularFile(manifestFile)) {
            String hint = Files.exists(dir.resolve(Manifest.PARTIAL_FILE))
                    ? " (its build did not finish: rerun `ssd corpus build` with the same --out to resume)"
                    : " (build one with `ssd corpus build --out " + dir + "`)";
            throw new IllegalArgumentException("no token corpus in " + dir + ": " + Manifest.FILE + " is missing" + hint);
        }
        Manifest manifest = Manifest.read(manifestFile);
        if (!Manifest.FORMAT.equals(manifest.format()) || !Gpt2Tokenizer.NAME.equals(manifest.tokenizer())) {
            throw new IllegalArgumentException(manifestFile + ": expected format " + Manifest.FORMAT + " with tokenizer "
                    + Gpt2Tokenizer.NAME + ", found " + manifest.format() + " with " + manifest.tokenizer());
        }
        manifest.requireShardList(manifestFile);
        Map<String, TokenSplit> splits = new LinkedHashMap<>();
        manifest.splits().forEach((name, split) -> splits.put(name, openSplit(dir, name, split)));
        return new TokenShards(dir, manifest, splits);
    }

    private static TokenSplit openSplit(Path dir, String name, Manifest.Split split) {
        List<MappedByteBuffer> maps = new ArrayList<>();
        for (Manifest.Shard shard : split.shards()) {
            Path file = dir.resolve(shard.file());
            if (!Files.isRegularFile(file)) {
                throw new CorruptShardException(shard.file(), "shard " + shard.file() + " listed in " + dir.resolve(Manifest.FILE)
                        + " is missing");
            }
            String actual = ShardFiles.sha256(file);
            if (!actual.equals(shard.sha256())) {
                throw new CorruptShardException(shard.file(), "shard " + file + " is corrupt: sha256 " + actual
                        + " but the manifest says " + shard.sha256() + "; rebuild it with `ssd corpus build`");
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                if (ch.size() != 2 * shard.tokens()) {
                    throw new CorruptShardException(shard.file(), "shard " + file + " has " + ch.size() + " bytes, expected "
                            + 2 * shard.tokens());
                }
                MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
                map.order(ByteOrder.LITTLE_ENDIAN);
                maps.add(map);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot map shard " + file + ": " + e.getMessage(), e);
            }
        }
        return new TokenSplit(name, split.files(), maps);
    }

    public Path dir() {
        return dir;
    }

    public Manifest manifest() {
        return manifest;
    }

    public Set<String> splitNames() {
        return splits.keySet();
    }

    /** A split by name ({@link #TRAIN}, {@link #VAL}). */
    public TokenSplit split(String name) {
        TokenSplit s = splits.get(name);
        if (s == null) {
            throw new IllegalArgumentException("corpus " + dir + " has no split \"" + name + "\" (it has " + splits.keySet() + ")");
        }
        return s;
    }

    public long tokens(String split) {
        return split(split).tokens();
    }
}

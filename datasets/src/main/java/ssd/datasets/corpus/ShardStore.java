package ssd.datasets.corpus;

import ssd.common.AtomicFiles;
import ssd.datasets.shards.Manifest;
import ssd.datasets.shards.ShardFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The output folder of a build in progress. Remembers every finished shard in manifest.partial.json (rewritten
 * atomically after each one), so a rerun after an interruption keeps the shards whose content it would reproduce.
 */
final class ShardStore {
    private static final Pattern SHARD_NAME = Pattern.compile("(train|val)-\\d{5}\\.bin");

    private final Path dir;
    private final Map<String, Manifest.Shard> finished = new LinkedHashMap<>();

    private ShardStore(Path dir) {
        this.dir = dir;
    }

    /**
     * Opens {@code dir} for a build: creates it, or takes over an earlier build's shards (finished or not). Refuses a
     * non-empty folder that is not a corpus, so a typo in --out cannot clobber unrelated files.
     */
    static ShardStore open(Path dir) {
        try {
            Files.createDirectories(dir);
            Path manifest = dir.resolve(Manifest.FILE), partial = dir.resolve(Manifest.PARTIAL_FILE);
            boolean isCorpus = Files.exists(manifest) || Files.exists(partial);
            try (Stream<Path> entries = Files.list(dir)) {
                // A build killed before its first manifest.partial.json leaves only its own files: that is a corpus too.
                if (!isCorpus && !entries.allMatch(ShardStore::isBuildFile)) {
                    throw new IllegalArgumentException("--out " + dir + " is not empty and holds no corpus ("
                            + Manifest.FILE + "); choose an empty or new folder");
                }
            }
            ShardStore store = new ShardStore(dir);
            if (Files.exists(partial)) {
                List<Manifest.Shard> done = Manifest.read(partial, Manifest.Partial.class).shards();
                if (done == null || done.contains(null)) {
                    throw new IllegalArgumentException("corpus manifest " + partial + " is malformed (no \"shards\" list); delete it to rebuild every shard");
                }
                done.forEach(s -> store.finished.put(s.file(), s));
            }
            if (Files.exists(manifest)) {
                Manifest.read(manifest).requireShardList(manifest).splits().values().forEach(split ->
                        split.shards().forEach(s -> store.finished.putIfAbsent(s.file(), s)));
                // From here on the folder is a build in progress: readers must not trust the old manifest.
                store.savePartial();
                Files.delete(manifest);
            }
            try (Stream<Path> entries = Files.list(dir)) {
                entries.filter(p -> p.getFileName().toString().endsWith(AtomicFiles.TEMP_SUFFIX)).forEach(AtomicFiles::deleteQuietly);
            }
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare corpus folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A name that only a corpus build writes: shards, manifests, files.tsv, and their temporary files. */
    static boolean isBuildFile(Path p) {
        String name = p.getFileName().toString();
        if (name.endsWith(AtomicFiles.TEMP_SUFFIX)) name = name.substring(0, name.length() - AtomicFiles.TEMP_SUFFIX.length());
        return SHARD_NAME.matcher(name).matches() || name.equals(Manifest.FILE) || name.equals(Manifest.PARTIAL_FILE)
                || name.equals(CorpusBuilder.FILES_TSV);
    }

    Path dir() {
        return dir;
    }

    /** The recorded shard when the file on disk is exactly what {@code plan} would produce, else null. */
    synchronized Manifest.Shard reusable(PlannedShard plan) {
        Manifest.Shard old = finished.get(plan.file());
        if (old == null || !plan.fingerprint().equals(old.fingerprint())) return null;
        return ShardFiles.matches(dir.resolve(plan.file()), old) ? old : null;
    }

    synchronized void finished(Manifest.Shard shard) {
        finished.put(shard.file(), shard);
        savePartial();
    }

    /** After the final manifest is written: drops the partial record and shard files no longer in the plan. */
    void complete(Set<String> planned) {
        AtomicFiles.deleteQuietly(dir.resolve(Manifest.PARTIAL_FILE));
        try (Stream<Path> entries = Files.list(dir)) {
            entries.filter(p -> SHARD_NAME.matcher(p.getFileName().toString()).matches())
                    .filter(p -> !planned.contains(p.getFileName().toString()))
                    .forEach(AtomicFiles::deleteQuietly);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list corpus folder " + dir + ": " + e.getMessage(), e);
        }
    }

    private void savePartial() {
        Manifest.write(dir.resolve(Manifest.PARTIAL_FILE), new Manifest.Partial(new ArrayList<>(finished.values())));
    }

    List<Manifest.Shard> recorded() {
        return List.copyOf(finished.values());
    }
}

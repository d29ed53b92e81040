package ssd.training;

import ssd.common.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Directory writes that never leave a half-written directory under the final name: fill {@code NAME.tmp}, move the
 * old {@code NAME} aside to {@code NAME.old}, rename, then delete the old one. A crash between the two renames
 * leaves {@code NAME.old}, which {@link #existing(Path)} falls back to.
 */
final class StateDirs {
    interface Filler {
        void fill(Path dir) throws IOException;
    }

    private StateDirs() {
    }

    /** NAME.tmp, the name AtomicFiles gives a resumable writer's file: one suffix for a run's cleanup to find. */
    static Path temp(Path target) {
        return AtomicFiles.tempFor(target);
    }

    static Path previous(Path target) {
        return target.resolveSibling(target.getFileName() + ".old");
    }

    static void write(Path target, Filler filler) {
        Path tmp = temp(target), old = previous(target);
        try {
            deleteRecursively(tmp);
            Files.createDirectories(tmp);
            filler.fill(tmp);
            if (Files.exists(target)) {
                deleteRecursively(old);
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            deleteRecursively(old);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** The complete directory for {@code target}: itself, or its previous version after an interrupted replace; null if neither. */
    static Path existing(Path target) {
        if (Files.isDirectory(target)) return target;
        if (Files.isDirectory(previous(target))) return previous(target);
        return null;
    }

    /** Deletes a directory without it ever being visible half-deleted: renamed to NAME.old first, then deleted. */
    static void remove(Path target) throws IOException {
        if (!Files.exists(target)) return;
        Path old = previous(target);
        deleteRecursively(old);
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        deleteRecursively(old);
    }

    static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }
}

package ssd.testing.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A temporary folder per fuzz suite, and a fresh subfolder per case (a case never truncates a file another case mapped). */
public final class Scratch implements AutoCloseable {
    private final Path root;
    private long next;

    public Scratch(String prefix) {
        try {
            // Memory-backed when the machine has one: tens of thousands of tiny files per suite, written and deleted.
            Path shm = Path.of("/dev/shm");
            root = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, prefix) : Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path root() {
        return root;
    }

    /** A new empty folder named by the case number. */
    public synchronized Path newCase() {
        try {
            return Files.createDirectory(root.resolve("case-" + next++));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a case folder (mapped files stay readable by whoever mapped them: unlinking does not truncate). */
    public static void delete(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        delete(root);
    }
}

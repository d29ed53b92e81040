package ssd.common;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Random;

/**
 * Writes that never leave a half-written file under the final name: the bytes go to a temporary sibling, are forced to
 * disk, and the temporary is renamed over the target. On failure (a full disk, say) the temporary is deleted, the
 * target keeps its previous content, and the exception names the target. The temporary gets the permissions the
 * user's umask gives any new file (not {@code Files.createTempFile}'s owner-only 0600, which the rename would pass on).
 *
 * <p>Two ways to name the temporary, chosen by the caller:
 * <ul>
 *   <li>{@link #write}: one-shot writes (tables, figures, device files). A unique hidden sibling
 *       {@code .NAME.RANDOM.tmp}, created new, so two processes writing the same file never share a temporary.</li>
 *   <li>{@link #writeResumable} and {@link #tempFor}: writers of jobs that resume after a kill (corpus shards and
 *       manifests, training logs, results). The fixed sibling {@code NAME.tmp}: what a killed run left is overwritten
 *       by the rerun's write of the same file, and cleanups find it by {@link #TEMP_SUFFIX}, so a resumed job's
 *       folder ends with exactly the files of an uninterrupted one.</li>
 * </ul>
 */
public final class AtomicFiles {
    /** The suffix of every temporary this class makes. */
    public static final String TEMP_SUFFIX = ".tmp";
    private static final Random RANDOM = new SecureRandom();

    private AtomicFiles() {
    }

    /** What goes into the file, written to a stream. */
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** A one-shot write through a unique temporary; creates missing parent folders. */
    public static void write(Path target, Content content) {
        Path abs = target.toAbsolutePath();
        Path temp = abs.resolveSibling("." + abs.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + TEMP_SUFFIX);
        writeVia(temp, target, streamed(content), StandardOpenOption.CREATE_NEW);
    }

    public static void writeString(Path target, String text) {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** A write through the fixed temporary {@link #tempFor}(target), for jobs that resume; creates missing parent folders. */
    public static void writeResumable(Path target, Content content) {
        writeVia(tempFor(target), target, streamed(content), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** {@link #writeResumable(Path, Content)} of buffers written in order straight to the file (large checkpoints). */
    public static void writeResumable(Path target, ByteBuffer... parts) {
        writeVia(tempFor(target), target, ch -> {
            for (ByteBuffer part : parts) {
                ByteBuffer b = part.duplicate();
                while (b.hasRemaining()) ch.write(b);
            }
        }, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** The fixed temporary of {@code target}: {@code NAME.tmp} beside it. */
    public static Path tempFor(Path target) {
        return target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
    }

    /** Forces {@code temp} (written by the caller) to disk and renames it over {@code target}. */
    public static void commit(Path temp, Path target) throws IOException {
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        rename(temp, target);
    }

    public static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: a leftover temporary is overwritten or cleaned up by the next run
        }
    }

    /** What goes into the file, written to its channel. */
    private interface ChannelContent {
        void writeTo(FileChannel ch) throws IOException;
    }

    private static ChannelContent streamed(Content content) {
        return ch -> content.writeTo(new UnclosableStream(Channels.newOutputStream(ch)));
    }

    /** Content may close its stream (Jackson does); the channel must stay open to be forced to disk. Unbuffered. */
    private static final class UnclosableStream extends FilterOutputStream {
        UnclosableStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    private static void writeVia(Path temp, Path target, ChannelContent content, OpenOption... create) {
        try {
            createParent(target);
            try (FileChannel ch = FileChannel.open(temp, with(create, StandardOpenOption.WRITE))) {
                content.writeTo(ch);
                ch.force(true);
            }
            rename(temp, target);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw failure(target, e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    private static void createParent(Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
    }

    private static void rename(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static UncheckedIOException failure(Path target, IOException e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new UncheckedIOException("cannot write " + target + ": " + reason, e);
    }

    private static OpenOption[] with(OpenOption[] options, OpenOption extra) {
        OpenOption[] all = java.util.Arrays.copyOf(options, options.length + 1);
        all[options.length] = extra;
        return all;
    }
}

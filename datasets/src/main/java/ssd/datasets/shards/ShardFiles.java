package ssd.datasets.shards;

import ssd.datasets.corpus.Digest;
import ssd.common.AtomicFiles;
import ssd.datasets.tokenize.TokenBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/** Writing and checksumming shard files (little-endian uint16 ids). */
public final class ShardFiles {
    private static final int CHUNK = 1 << 20;

    private ShardFiles() {
    }

    public record Written(long tokens, String sha256) {
    }

    /** Writes the documents' ids in order to {@code target} via a temp file and rename. */
    public static Written write(Path target, List<TokenBuffer> documents) {
        Path temp = AtomicFiles.tempFor(target);
        MessageDigest sha = Digest.newSha256();
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        long tokens = 0;
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                for (TokenBuffer doc : documents) {
                    char[] ids = doc.array();
                    int off = 0;
                    while (off < doc.size()) {
                        int n = Math.min(doc.size() - off, buf.remaining() / 2);
                        buf.asCharBuffer().put(ids, off, n);
                        buf.position(buf.position() + 2 * n);
                        off += n;
                        if (buf.remaining() < 2) drain(buf, ch, sha);
                    }
                    tokens += doc.size();
                }
                drain(buf, ch, sha);
            }
            AtomicFiles.commit(temp, target);
        } catch (IOException e) {
            AtomicFiles.deleteQuietly(temp);
            throw new UncheckedIOException("cannot write shard " + target + ": " + e.getMessage(), e);
        }
        return new Written(tokens, HexFormat.of().formatHex(sha.digest()));
    }

    private static void drain(ByteBuffer buf, FileChannel ch, MessageDigest sha) throws IOException {
        buf.flip();
        sha.update(buf.duplicate());
        while (buf.hasRemaining()) ch.write(buf);
        buf.clear();
    }

    public static String sha256(Path file) {
        MessageDigest sha = Digest.newSha256();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            // A small file gets a small buffer: a 1 MiB direct buffer per call dominated hashing small shards.
            ByteBuffer buf = ByteBuffer.allocateDirect((int) Math.min(CHUNK, Math.max(ch.size(), 1)));
            while (ch.read(buf) > 0 || buf.position() > 0) {
                buf.flip();
                sha.update(buf);
                buf.clear();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read shard " + file + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** True when {@code file} exists and holds exactly the recorded tokens and checksum. */
    public static boolean matches(Path file, Manifest.Shard shard) {
        try {
            return Files.isRegularFile(file) && Files.size(file) == 2 * shard.tokens()
                    && sha256(file).equals(shard.sha256());
        } catch (IOException e) {
            return false;
        }
    }
}

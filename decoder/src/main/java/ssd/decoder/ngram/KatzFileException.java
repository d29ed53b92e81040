package ssd.decoder.ngram;

import java.io.IOException;
import java.nio.file.Path;

/** A Katz trigram file that cannot be used; the message is one line naming the file and the problem. */
public final class KatzFileException extends IOException {
    /** What is wrong with the file. */
    public enum Reason { TRUNCATED, BAD_MAGIC, UNSUPPORTED_VERSION, TRAILING_BYTES, CHECKSUM_MISMATCH, MALFORMED }

    private final Path file;
    private final Reason reason;

    KatzFileException(Path file, Reason reason, String detail) {
        super("Katz trigram file " + file + ": " + detail);
        this.file = file;
        this.reason = reason;
    }

    public Path file() {
        return file;
    }

    public Reason reason() {
        return reason;
    }
}

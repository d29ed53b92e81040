package ssd.decoder.checkpoint;

import java.nio.file.Path;

/** A checkpoint file that cannot be used; the message names the file and what was wrong with it. */
public final class CheckpointException extends RuntimeException {
    public CheckpointException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public CheckpointException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}

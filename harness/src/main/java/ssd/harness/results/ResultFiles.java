package ssd.harness.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import ssd.common.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Writes results files atomically (temporary file, then rename) with a provenance sidecar. */
public final class ResultFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultFiles() {
    }

    public static void write(Path file, String content, Provenance provenance) throws IOException {
        writeAtomically(file, content.getBytes(StandardCharsets.UTF_8));
        writeProvenance(file, provenance);
    }

    /** Only the provenance sidecar of {@code resultsFile} (for results written incrementally). */
    public static void writeProvenance(Path resultsFile, Provenance provenance) throws IOException {
        writeAtomically(Provenance.sidecar(resultsFile), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(provenance.asMap()));
    }

    /** Temporary file, forced, renamed; on failure (a full disk) the temporary is deleted and the old file kept. */
    public static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Provenance.ensureParent(file);
        try {
            AtomicFiles.writeResumable(file, out -> out.write(bytes));
        } catch (java.io.UncheckedIOException e) {
            throw new IOException(e.getMessage(), e.getCause());
        }
    }
}

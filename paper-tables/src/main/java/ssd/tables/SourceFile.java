package ssd.tables;

import java.nio.file.Path;
import java.util.List;

/**
 * A results file: how many runs it holds, on which devices and dtypes, and what its {@code .provenance.json} sidecar
 * says ({@code machine}, {@code date}, {@code gitCommit} are null when there is no sidecar).
 */
public record SourceFile(Path path, int runs, List<String> devices, List<String> dtypes, String machine, String date, String gitCommit) {
    public SourceFile {
        devices = List.copyOf(devices);
        dtypes = List.copyOf(dtypes);
    }
}

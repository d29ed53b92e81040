package ssd.datasets.corpus;

import java.nio.file.Path;

/** A {@code *.py} file found under one of the build's roots. */
public record SourceFile(Path root, Path path, long size) {
    /** The path below its root with '/' separators, as listed in files.tsv. */
    public String relativePath() {
        return root.relativize(path).toString().replace('\\', '/');
    }
}

package ssd.datasets.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lists the regular {@code *.py} files under the roots, in root order then path order. Symbolic links are not
 * followed (no cycles, no second copy of a linked tree); a file reachable from two roots (site-packages inside the
 * stdlib folder, say) is listed once, under the first root.
 */
public final class SourceWalker {
    private SourceWalker() {
    }

    /** The roots as real paths (what {@link SourceFile#root()} holds), checked to be folders. */
    public static List<Path> resolveRoots(List<Path> roots) {
        List<Path> out = new ArrayList<>();
        for (Path given : roots) {
            if (!Files.isDirectory(given)) {
                throw new IllegalArgumentException("corpus root " + given + " is not a directory");
            }
            Path real = toReal(given);
            if (!out.contains(real)) out.add(real);
        }
        return out;
    }

    /** @param excludes globs matched against the path below the root, e.g. {@code site-packages/**} */
    public static List<SourceFile> walk(List<Path> roots, List<String> excludes) {
        List<PathMatcher> matchers = excludes.stream()
                .map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        Set<Path> seen = new HashSet<>();
        List<SourceFile> out = new ArrayList<>();
        for (Path root : resolveRoots(roots)) {
            List<SourceFile> found = new ArrayList<>();
            try {
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                        return name.equals("__pycache__") || name.equals(".git") ? FileVisitResult.SKIP_SUBTREE
                                : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (attrs.isRegularFile() && file.getFileName().toString().endsWith(".py")
                                && !excluded(matchers, root.relativize(file)) && seen.add(file)) {
                            found.add(new SourceFile(root, file, attrs.size()));
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        return FileVisitResult.CONTINUE; // unreadable directory: nothing to take from it
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException("cannot walk corpus root " + root + ": " + e.getMessage(), e);
            }
            found.sort(Comparator.comparing(f -> f.path().toString()));
            out.addAll(found);
        }
        return out;
    }

    private static boolean excluded(List<PathMatcher> matchers, Path relative) {
        for (PathMatcher m : matchers) if (m.matches(relative)) return true;
        return false;
    }

    private static Path toReal(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve corpus root " + p + ": " + e.getMessage(), e);
        }
    }
}

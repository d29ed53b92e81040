package ssd.harness.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A long job's output folder judged against the uninterrupted run's folder: every file under a final name (no path
 * segment ending in .tmp, .old or .partial) by its {@link OutputRule}, and every folder under a final name complete
 * (holding its required files), at any moment while the job runs and at the end.
 */
final class OutputFolder {
    private static final Pattern TEMPORARY = Pattern.compile("(^|/)[^/]*\\.(tmp|old|partial)(/|$)");

    private final Path dir, reference;
    private final Function<String, OutputRule> rules;
    private final Map<Pattern, List<String>> requiredFiles;

    /**
     * @param rules         the rule for a file by its path relative to the folder ('/'-separated); null for a file
     *                      the job must not write
     * @param requiredFiles folders (by relative path pattern) that are complete only with these files in them
     */
    OutputFolder(Path dir, Path reference, Function<String, OutputRule> rules, Map<Pattern, List<String>> requiredFiles) {
        this.dir = dir;
        this.reference = reference;
        this.rules = rules;
        this.requiredFiles = requiredFiles;
    }

    static boolean isTemporary(String relative) {
        return TEMPORARY.matcher(relative).find();
    }

    /** Whether anything under a temporary name is visible now (a write in progress). */
    boolean writing() {
        return listing(dir).stream().anyMatch(OutputFolder::isTemporary);
    }

    /** What is wrong with the folder now; files and folders that vanish while being read are not problems. */
    List<String> problemsNow() {
        List<String> problems = new ArrayList<>();
        for (String rel : listing(dir)) {
            if (isTemporary(rel)) continue;
            Path file = dir.resolve(rel);
            try {
                if (Files.isDirectory(file)) {
                    String p = incompleteFolder(rel, file);
                    if (p != null) problems.add(p);
                    continue;
                }
                byte[] bytes = Files.readAllBytes(file);
                OutputRule rule = rules.apply(rel);
                String p = rule == null ? "unexpected file" : rule.whileRunning(bytes, reference.resolve(rel));
                if (p != null) problems.add(rel + ": " + p);
            } catch (NoSuchFileException vanished) {
                // replaced or deleted while we looked: what was there under the name was whole or is gone
            } catch (IOException e) {
                problems.add(rel + ": " + e);
            }
        }
        return problems;
    }

    /** A folder under a final name must hold every required file, unless it was swapped out while we looked. */
    private String incompleteFolder(String rel, Path folder) throws IOException {
        for (Map.Entry<Pattern, List<String>> e : requiredFiles.entrySet()) {
            if (!e.getKey().matcher(rel).matches()) continue;
            Object before = key(folder);
            for (String name : e.getValue()) {
                if (!Files.exists(folder.resolve(name)) && Objects.equals(before, key(folder)) && before != null) {
                    return rel + "/: visible without " + name;
                }
            }
        }
        return null;
    }

    private static Object key(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** What differs between the finished folder and the reference: names (temporary ones included) and contents. */
    List<String> differencesAtTheEnd() {
        List<String> problems = new ArrayList<>();
        TreeSet<String> mine = new TreeSet<>(listing(dir)), theirs = new TreeSet<>(listing(reference));
        if (!mine.equals(theirs)) {
            TreeSet<String> extra = new TreeSet<>(mine), missing = new TreeSet<>(theirs);
            extra.removeAll(theirs);
            missing.removeAll(mine);
            problems.add("files differ from the uninterrupted run: extra " + extra + ", missing " + missing);
        }
        for (String rel : mine) {
            Path file = dir.resolve(rel);
            if (Files.isDirectory(file) || !theirs.contains(rel)) continue;
            try {
                OutputRule rule = rules.apply(rel);
                String p = rule == null ? "unexpected file" : rule.finished(Files.readAllBytes(file), reference.resolve(rel));
                if (p != null) problems.add(rel + ": " + p);
            } catch (IOException e) {
                problems.add(rel + ": " + e);
            }
        }
        return problems;
    }

    /** Every file and folder below {@code root}, relative, '/'-separated; entries that vanish mid-walk are skipped. */
    static List<String> listing(Path root) {
        List<String> out = new ArrayList<>();
        walk(root, root, out);
        return out;
    }

    private static void walk(Path root, Path at, List<String> out) {
        List<Path> children;
        try (Stream<Path> s = Files.list(at)) {
            children = s.toList();
        } catch (NoSuchFileException | java.nio.file.NotDirectoryException vanished) {
            return;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path c : children) {
            out.add(root.relativize(c).toString().replace('\\', '/'));
            if (Files.isDirectory(c)) walk(root, c, out);
        }
    }
}

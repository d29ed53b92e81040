package ssd.training;

import ssd.common.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where a run keeps its files: {@code checkpoint-STEP/} (periodic Hugging Face checkpoints), {@code final/},
 * {@code train-log.csv}, {@code train-state/} (fp32 masters, optimiser moments and state.json for --resume) and
 * {@code summary.json}.
 */
public record RunLayout(Path dir) {
    public Path checkpoint(long step) {
        return dir.resolve("checkpoint-" + step);
    }

    public Path finalCheckpoint() {
        return dir.resolve("final");
    }

    public Path log() {
        return dir.resolve("train-log.csv");
    }

    public Path state() {
        return dir.resolve("train-state");
    }

    public Path summary() {
        return dir.resolve("summary.json");
    }

    /** Steps of the periodic checkpoints present, ascending. */
    public List<Long> checkpointSteps() {
        List<Long> steps = new ArrayList<>();
        if (!Files.isDirectory(dir)) return steps;
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.matches("checkpoint-\\d+")).forEach(n -> steps.add(Long.parseLong(n.substring(11))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        steps.sort(null);
        return steps;
    }

    /**
     * Deletes what a killed run left under temporary names: NAME.tmp folders and files being written, and NAME.old
     * folders being swapped out or deleted, except train-state.old while train-state itself is missing (it is then
     * the last complete state).
     */
    public void removeLeftovers() {
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                boolean stateFallback = p.equals(StateDirs.previous(state())) && !Files.isDirectory(state());
                if ((name.endsWith(AtomicFiles.TEMP_SUFFIX) || name.endsWith(".old")) && !stateFallback) StateDirs.deleteRecursively(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + dir + ": " + e.getMessage(), e);
        }
    }

    /** True when the directory already holds (part of) a run. */
    public boolean holdsRun() {
        return Files.exists(log()) || Files.exists(state()) || Files.exists(StateDirs.previous(state())) || Files.exists(finalCheckpoint())
                || !checkpointSteps().isEmpty();
    }
}

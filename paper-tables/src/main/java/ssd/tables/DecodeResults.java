package ssd.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The runs of one or more {@code ssd bench-decode} JSONL files (read by {@link DecodeJsonl}), with their sources. */
public record DecodeResults(List<DecodeRun> runs, List<SourceFile> sources) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public DecodeResults {
        runs = List.copyOf(runs);
        sources = List.copyOf(sources);
    }

    public static DecodeResults load(List<Path> files) {
        if (files.isEmpty()) throw new IllegalArgumentException("no results files given");
        List<DecodeRun> runs = new ArrayList<>();
        List<SourceFile> sources = new ArrayList<>();
        for (Path file : files) {
            List<DecodeRun> fromFile = DecodeJsonl.read(file);
            runs.addAll(fromFile);
            sources.add(source(file, fromFile));
        }
        return new DecodeResults(runs, sources);
    }

    /** The file's provenance sidecar ({@code FILE.provenance.json}), when there is one. */
    private static SourceFile source(Path file, List<DecodeRun> runs) {
        List<String> devices = runs.stream().map(DecodeRun::device).distinct().toList();
        List<String> dtypes = runs.stream().map(DecodeRun::dtype).distinct().toList();
        Path sidecar = file.resolveSibling(file.getFileName() + ".provenance.json");
        if (!Files.isRegularFile(sidecar)) return new SourceFile(file, runs.size(), devices, dtypes, null, null, null);
        try {
            JsonNode p = JSON.readTree(sidecar.toFile());
            return new SourceFile(file, runs.size(), devices, dtypes, p.path("machine").asText(null), p.path("date").asText(null),
                    p.path("git_commit").asText(null));
        } catch (IOException e) {
            throw new IllegalArgumentException(sidecar + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }
}

package ssd.tables;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The runs of one or more JSONL files written by {@code ssd bench-decode}, with their sources. Malformed input fails
 * with one line naming the file and line ({@code file:line: what is wrong}).
 */
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
            List<DecodeRun> fromFile = read(file);
            runs.addAll(fromFile);
            sources.add(source(file, fromFile));
        }
        return new DecodeResults(runs, sources);
    }

    /** The runs of one file; blank lines are skipped. */
    public static List<DecodeRun> read(Path file) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("results file not found: " + file);
        List<DecodeRun> runs = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNo = 0;
            for (String line; (line = in.readLine()) != null; ) {
                lineNo++;
                if (line.isBlank()) continue;
                try {
                    runs.add(parse(line));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (runs.isEmpty()) throw new IllegalArgumentException(file + ": no runs (empty file)");
        return runs;
    }

    /** One JSON line; throws IllegalArgumentException saying what is missing or malformed. */
    static DecodeRun parse(String line) {
        JsonNode r;
        try {
            r = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (r == null || !r.isObject()) throw new IllegalArgumentException("expected a JSON object");
        JsonNode tokens = array(r, "tokens"), origins = array(r, "origins");
        if (tokens.size() != origins.size())
            throw new IllegalArgumentException(tokens.size() + " tokens but " + origins.size() + " origins");
        int ngram = 0, draft = 0, oracle = 0;
        for (JsonNode o : origins) {
            switch (o.asText()) {
                case "NGRAM" -> ngram++;
                case "DRAFT" -> draft++;
                case "ORACLE" -> oracle++;
                default -> throw new IllegalArgumentException("unknown origin " + o + " (expected NGRAM, DRAFT or ORACLE)");
            }
        }
        double seconds = number(r, "seconds").asDouble();
        if (!(seconds > 0)) throw new IllegalArgumentException("seconds must be positive, got " + seconds);
        return new DecodeRun(text(r, "task_id"), text(r, "method"), text(r, "device"), text(r, "dtype"),
                number(r, "sampling.temperature").asDouble(), number(r, "sampling.top_k").asInt(),
                tokens.size(), seconds, number(r, "stats.bytes_read").asLong(), number(r, "stats.oracle_bytes_read").asLong(),
                number(r, "stats.draft_bytes_read").asLong(), number(r, "stats.oracle_forwards").asLong(),
                number(r, "stats.mean_accepted_per_oracle_call").asDouble(), ngram, draft, oracle);
    }

    private static JsonNode field(JsonNode r, String dotted) {
        JsonNode n = r;
        for (String part : dotted.split("\\.")) {
            n = n.get(part);
            if (n == null || n.isNull()) throw new IllegalArgumentException("missing field " + dotted);
        }
        return n;
    }

    private static String text(JsonNode r, String name) {
        JsonNode n = field(r, name);
        if (!n.isTextual()) throw new IllegalArgumentException("field " + name + " must be a string, got " + n);
        return n.asText();
    }

    private static JsonNode number(JsonNode r, String name) {
        JsonNode n = field(r, name);
        if (!n.isNumber()) throw new IllegalArgumentException("field " + name + " must be a number, got " + n);
        return n;
    }

    private static JsonNode array(JsonNode r, String name) {
        JsonNode n = field(r, name);
        if (!n.isArray()) throw new IllegalArgumentException("field " + name + " must be a list");
        return n;
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

package ssd.figures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code ssd bench-decode} JSONL files into {@link DecodeRun}s (fields not needed for the figures are ignored). */
public final class DecodeJsonl {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DecodeJsonl() {
    }

    public static List<DecodeRun> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + ": no such file");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<DecodeRun> runs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            try {
                runs.add(parse(JSON.readTree(lines.get(i))));
            } catch (IOException | IllegalArgumentException e) {
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + why, e);
            }
        }
        if (runs.isEmpty()) throw new IllegalArgumentException(file + ": no records, expected bench-decode JSONL");
        return runs;
    }

    static DecodeRun parse(JsonNode n) {
        JsonNode sampling = required(n, "sampling");
        JsonNode tokens = required(n, "tokens"), origins = required(n, "origins");
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = tokens.get(i).asInt();
        List<Origin> o = new ArrayList<>();
        for (JsonNode x : origins) o.add(Origin.parse(x.asText()));
        double tps = required(n, "tokens_per_second").asDouble();
        if (!(tps > 0)) throw new IllegalArgumentException("tokens_per_second must be positive, got " + tps);
        return new DecodeRun(required(n, "task_id").asText(), required(n, "method").asText(), n.path("device").asText("?"),
                n.path("dtype").asText("?"), new Sampling(required(sampling, "temperature").asDouble(), sampling.path("top_k").asInt(0)),
                tps, ids, o, n.path("text").asText(""));
    }

    private static JsonNode required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) throw new IllegalArgumentException("missing field '" + field + "'");
        return v;
    }
}

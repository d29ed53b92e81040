package ssd.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report {@code tools/peers/teacher_force.py} writes: every run's generated tokens teacher-forced through
 * transformers' forward in fp32 and classified (greedy: argmax, tie, mismatch; top-k: inside the reference top-k set,
 * near its boundary, outside), per results file and method. Rendered as the exactness table.
 *
 * @param reference what forward the tokens were checked against
 * @param tolerance the tie tolerance as the report states it
 * @param greedy    one group per (file, method, dtype) of greedy runs
 * @param topK      the same for top-k runs
 * @param source    the report file and its provenance sidecar's date and commit
 */
public record ExactnessReport(String reference, String tolerance, List<Group> greedy, List<Group> topK, SourceFile source) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One (file, method, dtype) of runs and its counts: for greedy runs argmax, tie and mismatch (and the largest tie
     * gap); for top-k runs inside, near_boundary and outside (largestTieGap NaN).
     */
    public record Group(String file, String method, boolean peer, String sampling, String dtype, long runs, long tokens,
                        long first, long second, long third, double largestTieGap) {
    }

    public ExactnessReport {
        greedy = List.copyOf(greedy);
        topK = List.copyOf(topK);
    }

    public static ExactnessReport read(Path file) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + ": no such file");
        JsonNode r;
        try {
            r = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        try {
            if (r == null || !r.isObject()) throw new IllegalArgumentException("expected a JSON object");
            List<Group> greedy = groups(r, "greedy", "argmax", "tie", "mismatch");
            List<Group> topK = groups(r, "top_k", "inside", "near_boundary", "outside");
            JsonNode p = sidecar(file);
            SourceFile source = new SourceFile(file, (int) (greedy.stream().mapToLong(Group::runs).sum() + topK.stream().mapToLong(Group::runs).sum()),
                    List.of(), List.of(), p.path("machine").asText(null), p.path("date").asText(null), p.path("git_commit").asText(null));
            return new ExactnessReport(text(r, "reference"), text(r, "tolerance"), greedy, topK, source);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage() + " (expected a report of tools/peers/teacher_force.py)", e);
        }
    }

    public long mismatches() {
        return greedy.stream().mapToLong(Group::third).sum();
    }

    public long outside() {
        return topK.stream().mapToLong(Group::third).sum();
    }

    private static List<Group> groups(JsonNode r, String name, String a, String b, String c) {
        JsonNode list = r.get(name);
        if (list == null || !list.isArray()) throw new IllegalArgumentException("missing list " + name);
        List<Group> out = new ArrayList<>();
        for (JsonNode g : list) {
            double gap = name.equals("greedy") ? number(g, "largest_tie_gap").asDouble() : Double.NaN;
            out.add(new Group(text(g, "file"), text(g, "method"), g.path("peer").asBoolean(false), text(g, "sampling"), text(g, "dtype"),
                    count(g, "runs"), count(g, "tokens"), count(g, a), count(g, b), count(g, c), gap));
        }
        return out;
    }

    private static JsonNode sidecar(Path file) {
        Path p = file.resolveSibling(file.getFileName() + ".provenance.json");
        if (!Files.isRegularFile(p)) return JSON.createObjectNode();
        try {
            return JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(p + ": not valid JSON");
        }
    }

    private static String text(JsonNode n, String name) {
        JsonNode v = n.get(name);
        if (v == null || !v.isTextual()) throw new IllegalArgumentException("missing text field " + name);
        return v.asText();
    }

    private static JsonNode number(JsonNode n, String name) {
        JsonNode v = n.get(name);
        if (v == null || !v.isNumber()) throw new IllegalArgumentException("missing number " + name);
        return v;
    }

    private static long count(JsonNode n, String name) {
        JsonNode v = number(n, name);
        if (!v.canConvertToLong() || v.asLong() < 0 || v.isFloatingPointNumber())
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must be a count, got %s", name, v));
        return v.asLong();
    }
}

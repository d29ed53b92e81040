package ssd.harness.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * How one output file of a long job is judged against the uninterrupted run's file of the same name: while the job
 * runs (what anyone may read under a final name at any moment) and after it finished.
 */
interface OutputRule {
    ObjectMapper JSON = new ObjectMapper();

    /** The problem with {@code file} as seen mid-run, or null. {@code reference} may not exist. */
    String whileRunning(byte[] file, Path reference) throws IOException;

    /** The difference between the finished file and the reference, or null. */
    String finished(byte[] file, Path reference) throws IOException;

    /** Byte for byte the reference's file, whenever it is visible. */
    static OutputRule identical() {
        return new OutputRule() {
            public String whileRunning(byte[] file, Path reference) throws IOException {
                return finished(file, reference);
            }

            public String finished(byte[] file, Path reference) throws IOException {
                if (!Files.exists(reference)) return "not in the uninterrupted run";
                return Arrays.equals(file, Files.readAllBytes(reference)) ? null : "differs from the uninterrupted run (" + file.length + " bytes)";
            }
        };
    }

    /** One JSON record equal to the reference's once the named fields (timings, dates) are dropped everywhere in it. */
    static OutputRule jsonIgnoring(Set<String> fields) {
        return new OutputRule() {
            public String whileRunning(byte[] file, Path reference) throws IOException {
                return finished(file, reference);
            }

            public String finished(byte[] file, Path reference) throws IOException {
                if (!Files.exists(reference)) return "not in the uninterrupted run";
                JsonNode a = parse(file), b = JSON.readTree(Files.readAllBytes(reference));
                if (a == null) return "not complete JSON";
                return strip(a, fields).equals(strip(b, fields)) ? null : "record differs from the uninterrupted run: " + strip(a, fields);
            }
        };
    }

    /** Complete JSON mid-run (its content depends on when it was written); at the end as {@link #jsonIgnoring}. */
    static OutputRule completeJsonThen(Set<String> fields) {
        return new OutputRule() {
            public String whileRunning(byte[] file, Path reference) {
                return parse(file) == null ? "not complete JSON" : null;
            }

            public String finished(byte[] file, Path reference) throws IOException {
                return jsonIgnoring(fields).finished(file, reference);
            }
        };
    }

    /** Complete JSON, whatever it says (a provenance sidecar names the command, which --resume changes). */
    static OutputRule completeJson() {
        return new OutputRule() {
            public String whileRunning(byte[] file, Path reference) {
                return parse(file) == null ? "not complete JSON" : null;
            }

            public String finished(byte[] file, Path reference) {
                return whileRunning(file, reference);
            }
        };
    }

    /**
     * An append-only log of lines (newline-terminated: an unterminated tail is a line still being written). Each line
     * is keyed and compared with the reference's line of the same key after {@code normalize} drops its timings.
     * At the end the lines, in order, are the reference's.
     */
    static OutputRule lines(Function<String, String> key, Function<String, String> normalize) {
        return new OutputRule() {
            public String whileRunning(byte[] file, Path reference) throws IOException {
                Map<String, String> ref = new HashMap<>();
                for (String line : Files.readAllLines(reference, StandardCharsets.UTF_8)) ref.put(key.apply(line), normalize.apply(line));
                for (String line : completeLines(file)) {
                    String k = key.apply(line);
                    if (k == null) return "torn or malformed line: " + line;
                    if (!normalize.apply(line).equals(ref.get(k))) return "line differs from the uninterrupted run: " + line;
                }
                return null;
            }

            public String finished(byte[] file, Path reference) throws IOException {
                String mid = whileRunning(file, reference);
                if (mid != null) return mid;
                List<String> mine = completeLines(file), ref = Files.readAllLines(reference, StandardCharsets.UTF_8);
                if (file.length > 0 && file[file.length - 1] != '\n') return "ends in a torn line";
                List<String> a = new ArrayList<>(), b = new ArrayList<>();
                mine.forEach(l -> a.add(normalize.apply(l)));
                ref.forEach(l -> b.add(normalize.apply(l)));
                return a.equals(b) ? null : "lines differ from the uninterrupted run (" + a.size() + " against " + b.size() + ")";
            }
        };
    }

    /** Lines that end with a newline. */
    static List<String> completeLines(byte[] file) {
        String text = new String(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n", -1));
    }

    static JsonNode parse(byte[] b) {
        try {
            JsonNode n = JSON.readTree(b);
            return n == null || n.isMissingNode() ? null : n;
        } catch (IOException e) {
            return null;
        }
    }

    static JsonNode strip(JsonNode n, Set<String> fields) {
        JsonNode c = n.deepCopy();
        stripInPlace(c, fields);
        return c;
    }

    private static void stripInPlace(JsonNode n, Set<String> fields) {
        if (n instanceof ObjectNode o) {
            o.remove(fields);
            for (Iterator<JsonNode> it = o.elements(); it.hasNext(); ) stripInPlace(it.next(), fields);
        } else if (n instanceof ArrayNode a) {
            for (JsonNode e : a) stripInPlace(e, fields);
        }
    }
}

package ssd.tables;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ssd.roofline.trace.DecodingTrace;
import ssd.roofline.trace.TraceJson;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads the JSONL files {@code ssd bench-decode} writes, one {@link DecodeRun} per line: the one reader of that format
 * (the tables, the figures and the report use it), and of the peers' records that {@code tools/peers/hf_peers.py}
 * writes in the same schema (marked by a {@code peer} object). Every field it reads is one the writer always writes, so
 * a record missing one is refused rather than defaulted; {@code greedy_divergence} and {@code trace} are optional
 * (bench-decode writes the first only for a greedy run that left the baseline, and records of other implementations
 * have no trace). Malformed input fails with one line, {@code file:line: what is wrong}.
 */
public final class DecodeJsonl {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DecodeJsonl() {
    }

    /**
     * The runs of one file, in file order; blank lines are skipped. A name ending in {@code .gz} is read through gzip
     * (results kept in the repository are compressed: a HumanEval run with its traces is ~5 MB of JSONL).
     */
    public static List<DecodeRun> read(Path file) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + ": no such file");
        List<DecodeRun> runs = new ArrayList<>();
        try (BufferedReader in = open(file)) {
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
        if (runs.isEmpty()) throw new IllegalArgumentException(file + ": no records, expected bench-decode JSONL");
        return runs;
    }

    private static BufferedReader open(Path file) throws IOException {
        if (!file.getFileName().toString().endsWith(".gz")) return Files.newBufferedReader(file, StandardCharsets.UTF_8);
        return new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8));
    }

    /** One JSON line; throws IllegalArgumentException saying what is missing or malformed. */
    private static DecodeRun parse(String line) {
        JsonNode r;
        try {
            r = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON (" + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
        }
        if (r == null || !r.isObject()) throw new IllegalArgumentException("expected a JSON object");
        if (r.has("peer")) return parsePeer(r);
        return new DecodeRun(text(r, "task_id"), text(r, "method"), text(r, "device"), text(r, "dtype"),
                new Sampling(number(r, "sampling.temperature").asDouble(), integer(r, "sampling.top_k")),
                tokens(r), origins(r), text(r, "text"), positive(r, "seconds"), positive(r, "tokens_per_second"),
                new RunStats(number(r, "stats.oracle_forwards").asLong(), number(r, "stats.mean_accepted_per_oracle_call").asDouble(),
                        number(r, "stats.bytes_read").asLong(), number(r, "stats.oracle_bytes_read").asLong(),
                        number(r, "stats.draft_bytes_read").asLong()),
                divergence(r), trace(r));
    }

    /** The optional {@code greedy_divergence} object (bench-decode writes it only for a greedy run that left the baseline). */
    private static Divergence divergence(JsonNode r) {
        if (r.path("greedy_divergence").isMissingNode() || r.path("greedy_divergence").isNull()) return null;
        return new Divergence(integer(r, "greedy_divergence.position"), Divergence.Verdict.parse(text(r, "greedy_divergence.verdict")));
    }

    /** The optional {@code trace} object, in the simulator's format ({@link TraceJson}). */
    private static DecodingTrace trace(JsonNode r) {
        JsonNode t = r.get("trace");
        if (t == null || t.isNull()) return null;
        return TraceJson.traceFromJson(t, "trace");
    }

    /**
     * A peer's record ({@code tools/peers/hf_peers.py}): the fields every run has, {@code peer.implementation} and
     * {@code peer.transformers} (its version); {@code stats} only where the peer counted its forwards.
     */
    private static DecodeRun parsePeer(JsonNode r) {
        if (!field(r, "peer").isObject()) throw new IllegalArgumentException("field peer must be an object");
        String implementation = text(r, "peer.implementation");
        if (r.path("peer").has("transformers")) implementation += " " + text(r, "peer.transformers");
        long forwards = -1;
        double accepted = Double.NaN;
        if (r.has("stats")) {
            forwards = number(r, "stats.oracle_forwards").asLong();
            accepted = number(r, "stats.mean_accepted_per_oracle_call").asDouble();
        }
        if (r.has("origins")) throw new IllegalArgumentException("a peer record has no origins (its tokens' models are not known)");
        return new DecodeRun(text(r, "task_id"), text(r, "method"), text(r, "device"), text(r, "dtype"),
                new Sampling(number(r, "sampling.temperature").asDouble(), integer(r, "sampling.top_k")),
                tokens(r), List.of(), null, positive(r, "seconds"), positive(r, "tokens_per_second"), null,
                new Peer(implementation, forwards, accepted));
    }

    private static int[] tokens(JsonNode r) {
        JsonNode list = array(r, "tokens");
        int[] ids = new int[list.size()];
        for (int i = 0; i < ids.length; i++) {
            if (!list.get(i).isInt())
                throw new IllegalArgumentException("field tokens must be a list of token ids, got " + list.get(i));
            ids[i] = list.get(i).asInt();
        }
        return ids;
    }

    private static List<Origin> origins(JsonNode r) {
        List<Origin> origins = new ArrayList<>();
        for (JsonNode o : array(r, "origins")) {
            origins.add(switch (o.asText()) {
                case "NGRAM" -> Origin.NGRAM;
                case "DRAFT" -> Origin.DRAFT;
                case "ORACLE" -> Origin.ORACLE;
                default -> throw new IllegalArgumentException("unknown origin " + o + " (expected NGRAM, DRAFT or ORACLE)");
            });
        }
        return origins;
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
        return ofKind(n, name, n.isTextual(), "a string").asText();
    }

    private static JsonNode number(JsonNode r, String name) {
        JsonNode n = field(r, name);
        return ofKind(n, name, n.isNumber(), "a number");
    }

    private static int integer(JsonNode r, String name) {
        JsonNode n = number(r, name);
        return ofKind(n, name, n.isInt(), "an integer").asInt();
    }

    private static JsonNode ofKind(JsonNode n, String name, boolean ok, String kind) {
        if (!ok) throw new IllegalArgumentException("field " + name + " must be " + kind + ", got " + n);
        return n;
    }

    private static double positive(JsonNode r, String name) {
        double v = number(r, name).asDouble();
        if (!(v > 0)) throw new IllegalArgumentException(name + " must be positive, got " + v);
        return v;
    }

    private static JsonNode array(JsonNode r, String name) {
        JsonNode n = field(r, name);
        if (!n.isArray()) throw new IllegalArgumentException("field " + name + " must be a list");
        return n;
    }
}

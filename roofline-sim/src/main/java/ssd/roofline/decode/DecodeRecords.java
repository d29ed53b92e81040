package ssd.roofline.decode;

import com.fasterxml.jackson.databind.JsonNode;
import ssd.roofline.io.Json;
import ssd.roofline.io.JsonFields;
import ssd.roofline.trace.DecodingTrace;
import ssd.roofline.trace.TraceJson;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Reads {@code bench-decode} JSONL (optionally gzipped, {@code .jsonl.gz}) into {@link DecodeRecord}s: the
 * {@code trace} object (format in {@link TraceJson}), {@code stats.ms} (total, prefill, oracle, draft, ngram,
 * bookkeeping), {@code stats.bytes_read}, {@code sampling}, {@code device} and {@code task_id}. Other fields are
 * ignored. A bad line is one message naming the file, the line and the field.
 */
public final class DecodeRecords {
    private DecodeRecords() {
    }

    public static List<DecodeRecord> read(Path file) {
        List<DecodeRecord> out = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) continue;
                String where = file + " line " + n;
                out.add(fromJson(Json.parse(line, where), where));
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (out.isEmpty()) throw new IllegalArgumentException(file + ": no records (expected bench-decode JSONL, one run per line)");
        return out;
    }

    /** Records of several files, in order. */
    public static List<DecodeRecord> readAll(List<Path> files) {
        List<DecodeRecord> all = new ArrayList<>();
        for (Path f : files) all.addAll(read(f));
        return all;
    }

    public static DecodeRecord fromJson(JsonNode node, String where) {
        JsonFields.requireObject(node, where);
        DecodingTrace trace = TraceJson.traceFromJson(JsonFields.requireField(node, "trace", where), where + ": trace");
        JsonNode stats = JsonFields.requireObject(JsonFields.requireField(node, "stats", where), where + ": stats");
        String msAt = where + ": stats.ms";
        JsonNode ms = JsonFields.requireObject(JsonFields.requireField(stats, "ms", where + ": stats"), msAt);
        double total = JsonFields.requireDouble(ms, "total", 0, msAt), prefill = JsonFields.requireDouble(ms, "prefill", 0, msAt);
        StageTimes measured = new StageTimes(JsonFields.requireDouble(ms, "oracle", 0, msAt) / 1e3, JsonFields.requireDouble(ms, "draft", 0, msAt) / 1e3,
                JsonFields.requireDouble(ms, "ngram", 0, msAt) / 1e3, JsonFields.requireDouble(ms, "bookkeeping", 0, msAt) / 1e3);
        if (measured.decodeSeconds() * 1e3 > total - prefill + 0.01 * total + 1e-3) {
            throw new IllegalArgumentException(msAt + ": oracle + draft + ngram + bookkeeping exceed total - prefill");
        }
        return new DecodeRecord(JsonFields.optionalString(node, "task_id", "", where), JsonFields.requireString(node, "device", where),
                sampling(JsonFields.requireField(node, "sampling", where), where + ": sampling"), trace, measured,
                JsonFields.requireLong(stats, "bytes_read", 0, where + ": stats"));
    }

    /** "greedy", or "top-k K, T=X" (K = 0: all tokens). */
    static String sampling(JsonNode s, String where) {
        JsonFields.requireObject(s, where);
        double t = JsonFields.requireDouble(s, "temperature", 0, where);
        int k = JsonFields.requireInt(s, "top_k", 0, where);
        return t == 0 ? "greedy" : String.format(Locale.ROOT, "top-k %d, T=%s", k, t);
    }
}

package ssd.datasets.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** JSON Lines, plain or gzip-compressed (recognised by its magic bytes, not its name). */
public final class Jsonl {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Jsonl() {
    }

    public static List<JsonNode> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** @param name how errors name the source */
    public static List<JsonNode> read(InputStream raw, String name) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw);
        in.mark(2);
        int b0 = in.read(), b1 = in.read();
        in.reset();
        InputStream body = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in) : in;
        List<JsonNode> out = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        int lineNo = 0;
        for (String line; (line = reader.readLine()) != null; ) {
            lineNo++;
            if (line.isBlank()) continue;
            try {
                out.add(MAPPER.readTree(line));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException(name + " line " + lineNo + ": not valid JSON ("
                        + e.getOriginalMessage() + ")");
            }
        }
        return out;
    }

    /** The text of a required string field, or an error naming the source, the line and the field. */
    public static String text(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(where + ": expected a string field \"" + field + "\"");
        }
        return v.asText();
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}

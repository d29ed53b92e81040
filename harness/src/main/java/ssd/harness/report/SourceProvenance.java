package ssd.harness.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ssd.harness.results.Provenance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where one of the report's input files came from: its size and SHA-256, and every field of its
 * {@code .provenance.json} sidecar (command, machine, date, commit, ...); an empty map when it has none.
 *
 * @param role what the report uses it for, e.g. "bench-decode results"
 */
record SourceProvenance(Path file, String role, long bytes, String sha256, Map<String, String> sidecar) {
    private static final ObjectMapper JSON = new ObjectMapper();

    SourceProvenance {
        sidecar = Map.copyOf(new LinkedHashMap<>(sidecar));
    }

    static SourceProvenance of(Path file, String role) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + ": no such file");
        Map<String, String> fields = new LinkedHashMap<>();
        Path sidecar = Provenance.sidecar(file);
        if (Files.isRegularFile(sidecar)) {
            JsonNode p;
            try {
                p = JSON.readTree(sidecar.toFile());
            } catch (IOException e) {
                throw new IllegalArgumentException(sidecar + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
            }
            if (p == null || !p.isObject()) throw new IllegalArgumentException(sidecar + ": expected a JSON object");
            p.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
        }
        try {
            return new SourceProvenance(file, role, Files.size(file), sha256(file), fields);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** Sidecar fields in a stable order: the usual ones first, then any others by name. */
    Map<String, String> orderedSidecar() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : new String[]{"command", "machine", "date", "git_commit", "java", "ssd_properties"})
            if (sidecar.containsKey(k)) out.put(k, sidecar.get(k));
        sidecar.keySet().stream().sorted().filter(k -> !out.containsKey(k)).forEach(k -> out.put(k, sidecar.get(k)));
        return out;
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) digest.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}

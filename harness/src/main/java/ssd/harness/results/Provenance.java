package ssd.harness.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Where a result came from: the command, machine, date and code version, and the {@code ssd.*} JVM system properties
 * the run was started with (they choose kernel variants for measuring, e.g. {@code -Dssd.fused.cublasLinearsFrom},
 * and the command line does not show them). Written beside every results file.
 */
public record Provenance(String command, String machine, String date, String gitCommit, String javaVersion, String ssdProperties) {
    public static Provenance of(String command, String machine) {
        return new Provenance(command, machine, OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                currentCommit(), System.getProperty("java.version"), ssdProperties(System.getProperties()));
    }

    /** The {@code ssd.*} entries of {@code properties} as "key=value" in key order, space-separated ("" for none). */
    static String ssdProperties(Properties properties) {
        return properties.stringPropertyNames().stream().filter(k -> k.startsWith("ssd.")).sorted()
                .map(k -> k + "=" + properties.getProperty(k)).collect(Collectors.joining(" "));
    }

    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("command", command);
        m.put("machine", machine);
        m.put("date", date);
        m.put("git_commit", gitCommit);
        m.put("java", javaVersion);
        m.put("ssd_properties", ssdProperties);
        return m;
    }

    /** The commit of the working tree (with "-dirty" when it has changes), or "unknown" outside a git checkout. */
    static String currentCommit() {
        String fromBundle = System.getenv("SSD_GIT_COMMIT"); // set by the GPU bundle's launcher, which has no git
        if (fromBundle != null && !fromBundle.isBlank()) return fromBundle.trim();
        try {
            String head = run("git", "rev-parse", "HEAD");
            if (head == null) return "unknown";
            String status = run("git", "status", "--porcelain", "--untracked-files=no");
            return status == null || status.isEmpty() ? head : head + "-dirty";
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    private static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }

    /** The provenance file written beside a results file. */
    public static Path sidecar(Path resultsFile) {
        return resultsFile.resolveSibling(resultsFile.getFileName() + ".provenance.json");
    }

    static void ensureParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
    }
}

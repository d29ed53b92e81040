package ssd.harness.report;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Chromium in headless mode, for checking the report in a real browser: found on PATH (Debian's package installs
 * /usr/bin/chromium; .ci/run installs it when missing), run with a throw-away profile directory, its console messages
 * logged to stderr (lines containing ":CONSOLE").
 */
final class HeadlessChromium {
    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");

    record Result(int exit, String stdout, String stderr) {
        /** The page's console messages (errors, warnings, logs) as Chromium logs them. */
        List<String> consoleLines() {
            return stderr.lines().filter(l -> l.contains(":CONSOLE")).toList();
        }
    }

    private final Path binary;

    private HeadlessChromium(Path binary) {
        this.binary = binary;
    }

    static Optional<HeadlessChromium> find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : NAMES) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) return Optional.of(new HeadlessChromium(p));
            }
        }
        return Optional.empty();
    }

    /** Runs Chromium headless on {@code page} with {@code flags} (e.g. --dump-dom or --screenshot=FILE). */
    Result run(Path page, Path profileDir, String... flags) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--hide-scrollbars", "--user-data-dir=" + profileDir, "--enable-logging=stderr", "--v=0"));
        cmd.addAll(List.of(flags));
        cmd.add(page.toUri().toString());
        Path stdout = Files.createTempFile(profileDir.getParent(), "chromium", ".out"), stderr = Files.createTempFile(profileDir.getParent(), "chromium", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(binary + " did not finish within 120 s: " + String.join(" ", cmd));
        }
        return new Result(p.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8), Files.readString(stderr, StandardCharsets.UTF_8));
    }
}

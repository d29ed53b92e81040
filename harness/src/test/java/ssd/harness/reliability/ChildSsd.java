package ssd.harness.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * `ssd ARGS` in a child JVM, as a user runs it (the real main, its exit code, its output in a log file), so a test
 * can SIGKILL it ({@link Process#destroyForcibly()} on Linux) and read its memory from /proc.
 */
public final class ChildSsd {
    private final List<String> jvmOptions;
    private final List<String> args;
    private final Path log;
    /** ulimit -f in KiB, or 0: writes past it fail with EFBIG ("File too large"), as on a full disk. */
    private final long fileSizeLimitKb;

    private ChildSsd(List<String> jvmOptions, List<String> args, Path log, long fileSizeLimitKb) {
        this.jvmOptions = jvmOptions;
        this.args = args;
        this.log = log;
        this.fileSizeLimitKb = fileSizeLimitKb;
    }

    /** The same command where no file may grow past {@code kb} KiB (the JVM ignores SIGXFSZ, so the write fails). */
    public ChildSsd withFileSizeLimitKb(long kb) {
        return new ChildSsd(jvmOptions, args, log, kb);
    }

    /** @param log where stdout and stderr of every start go (appended) */
    public static ChildSsd of(Path log, String... args) {
        return new ChildSsd(List.of("-Xss8m", "-Xmx1g"), List.of(args), log, 0);
    }

    public ChildSsd withJvmOptions(String... options) {
        return new ChildSsd(List.of(options), args, log, fileSizeLimitKb);
    }

    public ChildSsd withArgs(String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return new ChildSsd(jvmOptions, all, log, fileSizeLimitKb);
    }

    /** The command line, as ProcessBuilder takes it. */
    public List<String> command() {
        List<String> cmd = new ArrayList<>();
        if (fileSizeLimitKb > 0) cmd.addAll(List.of("bash", "-c", "ulimit -f " + fileSizeLimitKb + " && exec \"$@\"", "bash"));
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("ssd.harness.Ssd");
        cmd.addAll(args);
        return cmd;
    }

    public Process start() {
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            ProcessBuilder pb = new ProcessBuilder(command()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().put("SSD_THREADS", "1");
            pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs to the end; fails the test if it takes longer than {@code seconds}. */
    public int run(long seconds) {
        Process p = start();
        try {
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("ssd " + String.join(" ", args) + " ran past " + seconds + " s; log " + log);
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

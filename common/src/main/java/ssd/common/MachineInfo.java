package ssd.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Human-readable names of the machine a measurement ran on, as results, manifests and provenance record them: the
 * CPU model and cores ("AMD EPYC 7B13 (2 cores)"), the GPU card as nvidia-smi names it, and the host name.
 */
public final class MachineInfo {
    private MachineInfo() {
    }

    /** The GPU's name for a CUDA device flag ("cuda", "cuda:1"), else the CPU's. */
    public static String describe(String device) {
        return device.startsWith("cuda") ? gpuName() : cpuName();
    }

    /** The CPU model and the cores this JVM may use. */
    public static String cpuName() {
        return cpuName(cpuModel(Path.of("/proc/cpuinfo")), Runtime.getRuntime().availableProcessors());
    }

    static String cpuName(Optional<String> model, int cores) {
        return model.orElse("unknown CPU") + " (" + cores + " cores)";
    }

    /** The first model name in a /proc/cpuinfo file; empty where there is none (not Linux). */
    static Optional<String> cpuModel(Path cpuinfo) {
        try (Stream<String> lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim());
        } catch (IOException | UncheckedIOException ignored) {
            return Optional.empty();
        }
    }

    /** The first GPU's name from nvidia-smi, or "CUDA GPU" where nvidia-smi does not answer. */
    public static String gpuName() {
        try {
            Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=name", "--format=csv,noheader").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty()) return out.lines().findFirst().orElse(out);
        } catch (IOException | InterruptedException ignored) {
            // no nvidia-smi: fall through
        }
        return "CUDA GPU";
    }

    /** This machine's host name, else $HOSTNAME, else "unknown". */
    public static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env == null ? "unknown" : env;
        }
    }
}

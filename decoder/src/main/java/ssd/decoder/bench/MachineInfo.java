package ssd.decoder.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A human-readable name of the machine a measurement ran on: the CPU model and cores, or the GPU card. */
public final class MachineInfo {
    private MachineInfo() {
    }

    public static String describe(String device) {
        return device.startsWith("cuda") ? gpuName() : cpuName();
    }

    public static String cpuName() {
        return cpuModel().orElse("unknown CPU") + " (" + Runtime.getRuntime().availableProcessors() + " cores)";
    }

    /** The CPU's model name from /proc/cpuinfo, where there is one. */
    public static Optional<String> cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim());
        } catch (IOException | UncheckedIOException ignored) {
            return Optional.empty(); // not Linux
        }
    }

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
}

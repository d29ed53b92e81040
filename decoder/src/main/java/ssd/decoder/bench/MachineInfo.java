package ssd.decoder.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A human-readable name of the machine a measurement ran on: the CPU model and cores, or the GPU card. */
public final class MachineInfo {
    private MachineInfo() {
    }

    public static String describe(String device) {
        return device.startsWith("cuda") ? gpuName() : cpuName();
    }

    public static String cpuName() {
        String model = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    model = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException ignored) {
            // not Linux: keep the generic name
        }
        return model + " (" + Runtime.getRuntime().availableProcessors() + " cores)";
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

package ssd.decoder.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident set size of a process, from {@code /proc/PID/status} (Linux): what a memory soak test samples. */
public final class ProcessRss {
    private ProcessRss() {
    }

    /** VmRSS of process {@code pid} in bytes, or -1 when it cannot be read (not Linux, or the process is gone). */
    public static long bytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024; // the kernel reports kB
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** This JVM's VmRSS in bytes, or -1. */
    public static long self() {
        return bytes(ProcessHandle.current().pid());
    }
}

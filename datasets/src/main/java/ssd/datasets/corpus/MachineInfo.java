package ssd.datasets.corpus;

import java.io.IOException;
import java.net.InetAddress;

/** Host name and CPU model for the manifest, so a throughput figure says where it was measured. */
final class MachineInfo {
    private MachineInfo() {
    }

    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env == null ? "unknown" : env;
        }
    }

    /** CPU time used by this process so far, in seconds, or -1 where the OS does not say. */
    static double processCpuSeconds() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(-1.0);
    }

    static String cpu() {
        return ssd.decoder.bench.MachineInfo.cpuModel()
                .orElseGet(() -> System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " cores");
    }
}

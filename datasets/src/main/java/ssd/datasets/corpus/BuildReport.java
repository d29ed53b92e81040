package ssd.datasets.corpus;

import ssd.datasets.shards.Manifest;

import java.nio.file.Path;
import java.util.Map;

/** The outcome of a build, with the throughput figure the issue asks to print after every build. */
public record BuildReport(Path out, Manifest manifest, long bytesRead, double scanSeconds, double dedupSeconds,
                          double writeSeconds, int threads, int shardsReused, int shardsWritten) {

    public double seconds() {
        return scanSeconds + dedupSeconds + writeSeconds;
    }

    /** MB (10^6 bytes) of Python source read, per second of wall time, per worker thread. */
    public double mbPerSecondPerCore() {
        return seconds() == 0 ? 0 : bytesRead / 1e6 / seconds() / threads;
    }

    /** MB of source per CPU-second of the whole process, or -1 when CPU time is unknown. */
    public double mbPerCpuSecond() {
        double cpu = manifest.throughput().cpuSeconds();
        return cpu <= 0 ? -1 : bytesRead / 1e6 / cpu;
    }

    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append("corpus ").append(out).append('\n');
        sb.append("  roots: ").append(String.join(", ", manifest.roots())).append('\n');
        sb.append("  filters:");
        for (Map.Entry<String, Long> e : manifest.filters().entrySet()) sb.append(' ').append(e.getKey()).append('=').append(e.getValue());
        sb.append('\n');
        manifest.splits().forEach((name, s) -> sb.append(String.format("  %-5s %,d files, %,.1f MB, %,d tokens, %d shards%n",
                name, s.files(), s.bytes() / 1e6, s.tokens(), s.shards().size())));
        sb.append(String.format("throughput: %.1f MB of Python in %.2f s on %d threads = %.1f MB/s per core; "
                        + "%.1f MB per CPU-second (scan+filter %.2f s, dedup %.2f s, tokenize+write %.2f s; "
                        + "%d shards written, %d reused) [%s]",
                bytesRead / 1e6, seconds(), threads, mbPerSecondPerCore(), mbPerCpuSecond(), scanSeconds, dedupSeconds,
                writeSeconds, shardsWritten, shardsReused, manifest.throughput().cpu()));
        return sb.toString();
    }
}

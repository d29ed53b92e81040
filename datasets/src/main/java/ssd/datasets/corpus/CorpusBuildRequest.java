package ssd.datasets.corpus;

import java.nio.file.Path;
import java.util.List;

/**
 * What to build.
 *
 * @param roots            folders to walk for {@code *.py}; empty means the local Python's stdlib and site-packages
 * @param out              output folder (created; may hold an earlier build of the same corpus, which is resumed)
 * @param excludes         globs on the path below a root, e.g. {@code site-packages/**}
 * @param valPercent       share of files in the validation split, by content hash
 * @param shardSourceBytes source bytes per shard (a shard holds about half as many tokens)
 * @param threads          worker threads; 0 means one per core
 * @param progress         whether to draw progress bars
 */
public record CorpusBuildRequest(List<Path> roots, Path out, List<String> excludes, FilterSettings filters,
                                 double valPercent, long shardSourceBytes, int threads, boolean progress) {
    public static final double DEFAULT_VAL_PERCENT = 1.0;
    public static final long DEFAULT_SHARD_SOURCE_BYTES = 64L << 20;
    /** Keeps every shard under 2 GiB, the most one memory map can cover, even at one token per byte. */
    public static final long MAX_SHARD_SOURCE_BYTES = 512L << 20;

    public CorpusBuildRequest {
        roots = List.copyOf(roots);
        excludes = List.copyOf(excludes);
        if (!(valPercent >= 0 && valPercent <= 100)) {
            throw new IllegalArgumentException("validation percent must be in [0, 100], got " + valPercent);
        }
        if (shardSourceBytes < 1 || shardSourceBytes > MAX_SHARD_SOURCE_BYTES) {
            throw new IllegalArgumentException("shard size must be 1 byte to " + (MAX_SHARD_SOURCE_BYTES >> 20)
                    + " MiB of source, got " + shardSourceBytes + " bytes");
        }
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0 (0: one per core), got " + threads);
    }

    public static CorpusBuildRequest of(List<Path> roots, Path out) {
        return new CorpusBuildRequest(roots, out, List.of(), FilterSettings.DEFAULTS, DEFAULT_VAL_PERCENT,
                DEFAULT_SHARD_SOURCE_BYTES, 0, true);
    }

    public CorpusBuildRequest withExcludes(List<String> globs) {
        return new CorpusBuildRequest(roots, out, globs, filters, valPercent, shardSourceBytes, threads, progress);
    }

    public CorpusBuildRequest withValPercent(double percent) {
        return new CorpusBuildRequest(roots, out, excludes, filters, percent, shardSourceBytes, threads, progress);
    }

    public CorpusBuildRequest withShardSourceBytes(long bytes) {
        return new CorpusBuildRequest(roots, out, excludes, filters, valPercent, bytes, threads, progress);
    }

    public CorpusBuildRequest withThreads(int n) {
        return new CorpusBuildRequest(roots, out, excludes, filters, valPercent, shardSourceBytes, n, progress);
    }

    public CorpusBuildRequest withProgress(boolean show) {
        return new CorpusBuildRequest(roots, out, excludes, filters, valPercent, shardSourceBytes, threads, show);
    }

    public CorpusBuildRequest withFilters(FilterSettings settings) {
        return new CorpusBuildRequest(roots, out, excludes, settings, valPercent, shardSourceBytes, threads, progress);
    }

    public int effectiveThreads() {
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }
}

package ssd.datasets.corpus;

import ssd.common.AtomicFiles;
import ssd.common.MachineInfo;
import ssd.datasets.shards.Manifest;
import ssd.datasets.shards.ShardFiles;
import ssd.datasets.tokenize.FastGpt2Encoder;
import ssd.datasets.tokenize.TokenBuffer;
import ssd.decoder.tokenizer.Gpt2Tokenizer;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code ssd corpus build}: walk, filter, deduplicate, split, tokenize, shard. Two passes over the files, both
 * parallel over all threads: the first reads each file, filters it and computes its hash and MinHash; after
 * deduplication the second reads the survivors again (from the page cache, usually) and tokenizes them into
 * shards planned in advance. Everything that decides content (split, order, survivors of a duplicate group)
 * depends on file contents only, never on paths, thread timing or the machine.
 */
public final class CorpusBuilder {
    /** Lists every file the build saw with its fate: train, val, or the filter that dropped it. */
    public static final String FILES_TSV = "files.tsv";

    private final CorpusBuildRequest request;
    private final Consumer<String> log;

    public CorpusBuilder(CorpusBuildRequest request, Consumer<String> log) {
        this.request = request;
        this.log = log;
    }

    public BuildReport build() {
        String python = null;
        List<Path> roots = request.roots();
        if (roots.isEmpty()) {
            PythonInstallation py = PythonInstallation.discover();
            python = py.version() + " (" + py.executable() + ")";
            roots = py.roots();
            log.accept("no --from given: using Python " + python + " folders " + roots);
        }
        roots = SourceWalker.resolveRoots(roots);
        List<SourceFile> files = SourceWalker.walk(roots, request.excludes());
        long totalBytes = files.stream().mapToLong(SourceFile::size).sum();
        log.accept(String.format("found %,d .py files, %,.1f MB", files.size(), totalBytes / 1e6));
        ShardStore store = ShardStore.open(request.out());
        int threads = request.effectiveThreads();
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            double cpu0 = processCpuSeconds();
            long t0 = System.nanoTime();
            ScanResult[] scans = scan(pool, files, totalBytes);
            long t1 = System.nanoTime();
            Filter[] fate = new Filter[files.size()];
            List<KeptFile> kept = deduplicate(files, scans, fate);
            long t2 = System.nanoTime();
            List<PlannedShard> plan = ShardPlanner.plan(kept, request.valPercent(), request.shardSourceBytes());
            Map<String, Manifest.Shard> written = new HashMap<>();
            int reused = writeShards(pool, store, plan, written);
            long t3 = System.nanoTime();
            double cpuSeconds = cpu0 < 0 ? -1 : processCpuSeconds() - cpu0;

            long bytesRead = 0;
            for (ScanResult s : scans) bytesRead += s.bytesRead();
            Manifest.Throughput throughput = new Manifest.Throughput(bytesRead, (t3 - t0) / 1e9, threads,
                    bytesRead / 1e6 / ((t3 - t0) / 1e9) / threads, cpuSeconds, MachineInfo.cpuName());
            Manifest manifest = manifest(python, roots, counts(files.size(), fate, kept.size()), plan, written, throughput);
            writeFileList(files, scans, fate, roots);
            Manifest.write(request.out().resolve(Manifest.FILE), manifest);
            store.complete(plan.stream().map(PlannedShard::file).collect(Collectors.toSet()));
            return new BuildReport(request.out(), manifest, bytesRead, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9,
                    threads, reused, plan.size() - reused);
        } finally {
            pool.shutdown();
        }
    }

    private ScanResult[] scan(ForkJoinPool pool, List<SourceFile> files, long totalBytes) {
        try (Progress progress = Progress.start("scan+filter", totalBytes, request.progress())) {
            return inPool(pool, () -> IntStream.range(0, files.size()).parallel().mapToObj(i -> {
                ScanResult r = FileScanner.scan(files.get(i), request.filters());
                progress.accept(files.get(i).size());
                return r;
            }).toArray(ScanResult[]::new));
        }
    }

    /** Fills {@code fate} for rejected files and returns the survivors. */
    private List<KeptFile> deduplicate(List<SourceFile> files, ScanResult[] scans, Filter[] fate) {
        Map<Digest, Integer> firstCopy = new HashMap<>();
        List<Integer> unique = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            ScanResult s = scans[i];
            if (s.rejectedBy() != null) {
                fate[i] = s.rejectedBy();
            } else if (firstCopy.putIfAbsent(s.digest(), i) != null) {
                fate[i] = Filter.EXACT_DUPLICATE;
            } else {
                unique.add(i);
            }
        }
        // Near-duplicates are resolved in content-hash order, so the survivor of a group is the same everywhere.
        unique.sort(Comparator.comparing(i -> scans[i].digest()));
        boolean[] near = NearDuplicates.find(unique.stream().map(i -> scans[i].signature()).toList(),
                request.filters().nearDuplicateJaccard());
        List<KeptFile> kept = new ArrayList<>();
        for (int k = 0; k < unique.size(); k++) {
            int i = unique.get(k);
            if (near[k]) fate[i] = Filter.NEAR_DUPLICATE;
            else kept.add(new KeptFile(files.get(i), scans[i].digest(), scans[i].bytesRead()));
        }
        return kept;
    }

    /** @return how many shards were kept from an earlier run */
    private int writeShards(ForkJoinPool pool, ShardStore store, List<PlannedShard> plan, Map<String, Manifest.Shard> out) {
        List<PlannedShard> todo = new ArrayList<>();
        for (PlannedShard shard : plan) {
            Manifest.Shard old = store.reusable(shard);
            if (old != null) out.put(shard.file(), old);
            else todo.add(shard);
        }
        if (!out.isEmpty()) log.accept("keeping " + out.size() + " finished shards from an earlier run");
        long bytes = todo.stream().mapToLong(PlannedShard::bytes).sum();
        FastGpt2Encoder encoder = new FastGpt2Encoder();
        try (Progress progress = Progress.start("tokenize", bytes, request.progress())) {
            List<Manifest.Shard> done = inPool(pool, () -> todo.parallelStream().map(shard -> {
                List<TokenBuffer> docs = ShardTokenizer.tokenize(shard, encoder, progress);
                ShardFiles.Written w = ShardFiles.write(store.dir().resolve(shard.file()), docs);
                Manifest.Shard record = new Manifest.Shard(shard.file(), shard.files().size(), shard.bytes(), w.tokens(),
                        w.sha256(), shard.fingerprint());
                store.finished(record);
                return record;
            }).toList());
            done.forEach(s -> out.put(s.file(), s));
        }
        return plan.size() - todo.size();
    }

    private static Map<String, Long> counts(int scanned, Filter[] fate, int kept) {
        EnumMap<Filter, Long> byFilter = new EnumMap<>(Filter.class);
        for (Filter f : Filter.values()) byFilter.put(f, 0L);
        for (Filter f : fate) if (f != null) byFilter.merge(f, 1L, Long::sum);
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("scanned", (long) scanned);
        byFilter.forEach((f, n) -> out.put(f.key(), n));
        out.put("kept", (long) kept);
        return out;
    }

    private Manifest manifest(String python, List<Path> roots, Map<String, Long> filters, List<PlannedShard> plan,
                              Map<String, Manifest.Shard> written, Manifest.Throughput throughput) {
        Map<String, Manifest.Split> splits = new LinkedHashMap<>();
        for (String name : List.of(ssd.datasets.shards.TokenShards.TRAIN, ssd.datasets.shards.TokenShards.VAL)) {
            List<Manifest.Shard> shards = plan.stream().filter(p -> p.split().equals(name)).map(p -> written.get(p.file())).toList();
            splits.put(name, new Manifest.Split(shards.stream().mapToLong(Manifest.Shard::files).sum(),
                    shards.stream().mapToLong(Manifest.Shard::bytes).sum(),
                    shards.stream().mapToLong(Manifest.Shard::tokens).sum(), shards));
        }
        FilterSettings f = request.filters();
        Manifest.Settings settings = new Manifest.Settings(f.maxFileBytes(), f.maxLineLength(), f.maxMeanLineLength(),
                f.minAlphanumeric(), f.nearDuplicateJaccard(), request.valPercent(), request.shardSourceBytes());
        return new Manifest(Manifest.FORMAT, Gpt2Tokenizer.NAME, Gpt2Tokenizer.END_OF_TEXT, Manifest.DTYPE,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), MachineInfo.hostName(), python,
                roots.stream().map(Path::toString).toList(), request.excludes(), settings, filters, splits, throughput);
    }

    private void writeFileList(List<SourceFile> files, ScanResult[] scans, Filter[] fate, List<Path> roots) {
        AtomicFiles.writeResumable(request.out().resolve(FILES_TSV), os -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8));
            w.write("status\tsha256\tbytes\troot\tpath\n");
            for (int i = 0; i < files.size(); i++) {
                SourceFile f = files.get(i);
                String status = fate[i] != null ? fate[i].key()
                        : Splits.isValidation(scans[i].digest(), request.valPercent()) ? "val" : "train";
                w.write(status + '\t' + (scans[i].digest() == null ? "-" : scans[i].digest().hex()) + '\t' + f.size()
                        + '\t' + roots.indexOf(f.root()) + '\t' + f.relativePath() + '\n');
            }
            w.flush();
        });
    }

    /** CPU time used by this process so far, in seconds, or -1 where the OS does not say. */
    private static double processCpuSeconds() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(-1.0);
    }

    private static <T> T inPool(ForkJoinPool pool, Callable<T> task) {
        try {
            return pool.submit(task).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("corpus build interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause.getMessage(), cause);
        }
    }
}

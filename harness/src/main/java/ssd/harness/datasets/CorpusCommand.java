package ssd.harness.datasets;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import ssd.datasets.corpus.BuildReport;
import ssd.datasets.corpus.CorpusBuildRequest;
import ssd.datasets.corpus.CorpusBuilder;
import ssd.datasets.shards.Manifest;
import ssd.datasets.shards.TokenShards;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ssd corpus build|info}: the Python training corpus as GPT-2 token shards. */
@Command(name = "corpus", mixinStandardHelpOptions = true,
        description = "Build or inspect the Python token corpus (Stack-style filters, MinHash dedup, uint16 shards).",
        subcommands = {CorpusCommand.Build.class, CorpusCommand.Info.class})
public final class CorpusCommand extends ssd.harness.CommandGroup {
    @Command(name = "build", mixinStandardHelpOptions = true,
            description = {"Walk folders for *.py, filter, deduplicate, split and tokenize into shards with manifest.json.",
                    "Rerunning with the same --out resumes: finished shards are kept."})
    static final class Build implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--from", arity = "1..*", paramLabel = "DIR",
                description = "Folders to walk (default: the local Python's stdlib and site-packages).")
        List<Path> roots = new ArrayList<>();

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (empty, new, or an earlier build to resume).")
        Path out;

        @Option(names = "--exclude", arity = "1..*", paramLabel = "GLOB",
                description = "Skip files whose path below their root matches, e.g. 'site-packages/**'.")
        List<String> excludes = new ArrayList<>();

        @Option(names = "--val-percent", paramLabel = "P", defaultValue = "1.0",
                description = "Share of files in the validation split, chosen by content hash (default: ${DEFAULT-VALUE}).")
        double valPercent;

        @Option(names = "--shard-mb", paramLabel = "MB", defaultValue = "64",
                description = "MiB of source per shard (default: ${DEFAULT-VALUE}).")
        long shardMb;

        @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "Worker threads (default: one per core).")
        int threads;

        @Option(names = "--no-progress", description = "Do not draw progress bars.")
        boolean noProgress;

        @Override
        public Integer call() {
            CorpusBuildRequest request = CorpusBuildRequest.of(roots, out).withExcludes(excludes)
                    .withValPercent(valPercent).withShardSourceBytes(shardMb << 20).withThreads(threads)
                    .withProgress(!noProgress);
            BuildReport report = new CorpusBuilder(request, spec.commandLine().getErr()::println).build();
            spec.commandLine().getOut().println(report.summary());
            return 0;
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Verify a corpus's shard checksums and print its totals.")
    static final class Info implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--corpus", required = true, paramLabel = "DIR", description = "A folder made by `ssd corpus build`.")
        Path corpus;

        @Override
        public Integer call() {
            TokenShards shards = TokenShards.open(corpus);
            Manifest m = shards.manifest();
            var out = spec.commandLine().getOut();
            out.printf("corpus %s: %s, built %s on %s, all %d shard checksums OK%n", corpus, m.tokenizer(), m.created(),
                    m.host(), m.splits().values().stream().mapToInt(s -> s.shards().size()).sum());
            out.println("  roots: " + String.join(", ", m.roots()));
            out.println("  filters: " + m.filters());
            for (String name : shards.splitNames()) {
                var split = shards.split(name);
                out.printf("  %-5s %,d files, %,d tokens%n", name, split.files(), split.tokens());
            }
            return 0;
        }
    }
}

package ssd.harness.tables;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ssd.harness.results.Invocation;
import ssd.harness.results.Provenance;
import ssd.harness.results.ResultFiles;
import ssd.tables.CsvTables;
import ssd.tables.DecodeResults;
import ssd.tables.MarkdownTables;
import ssd.tables.PaperTables;
import ssd.tables.SourceFile;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code ssd tables}: the paper's Table 1 (bytes read per generated token vs the baseline) and Table 2 (decoding
 * throughput vs the baseline) from the JSONL files {@code ssd bench-decode} wrote. Writes DIR/table1.md, DIR/table2.md
 * and DIR/tables.csv (with a provenance sidecar), each atomically, and prints the Markdown.
 */
@Command(name = "tables", mixinStandardHelpOptions = true,
        description = "Tables 1 and 2 of the paper (bytes per token and throughput relative to the baseline) from bench-decode results.")
public final class TablesCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--results", required = true, paramLabel = "FILE",
            description = "a JSONL file written by ssd bench-decode (repeat for several, e.g. greedy and top-k)")
    List<Path> results;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "where table1.md, table2.md and tables.csv are written")
    Path out;

    @Override
    public Integer call() throws Exception {
        DecodeResults loaded = DecodeResults.load(results);
        PaperTables tables = PaperTables.of(loaded.runs());
        String table1 = MarkdownTables.table1(tables, loaded.sources());
        String table2 = MarkdownTables.table2(tables, loaded.sources());
        ResultFiles.writeAtomically(out.resolve("table1.md"), table1.getBytes(StandardCharsets.UTF_8));
        ResultFiles.writeAtomically(out.resolve("table2.md"), table2.getBytes(StandardCharsets.UTF_8));
        String machines = loaded.sources().stream().flatMap(s -> s.devices().stream()).distinct().collect(Collectors.joining(" / "));
        ResultFiles.write(out.resolve("tables.csv"), CsvTables.csv(tables.combined()),
                Provenance.of(Invocation.get(), "derived from runs on " + machines));
        PrintWriter pw = spec.commandLine().getOut();
        pw.println(table1);
        pw.println(table2);
        pw.println("wrote " + out.resolve("table1.md") + ", " + out.resolve("table2.md") + " and " + out.resolve("tables.csv")
                + " from " + loaded.runs().size() + " runs in " + loaded.sources().stream().map(SourceFile::path).map(Path::toString)
                .collect(Collectors.joining(", ")));
        pw.flush();
        return 0;
    }
}

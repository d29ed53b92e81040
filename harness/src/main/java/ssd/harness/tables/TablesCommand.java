package ssd.harness.tables;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ssd.harness.results.Invocation;
import ssd.harness.results.Provenance;
import ssd.harness.results.ResultFiles;
import ssd.tables.CsvTables;
import ssd.tables.DecodeResults;
import ssd.tables.ExactnessReport;
import ssd.tables.MarkdownTables;
import ssd.tables.PaperTables;
import ssd.tables.PeerComparison;
import ssd.tables.SourceFile;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code ssd tables}: the paper's Table 1 (bytes read per generated token vs the baseline) and Table 2 (decoding
 * throughput vs the baseline) from the JSONL files {@code ssd bench-decode} wrote. Writes DIR/table1.md, DIR/table2.md
 * and DIR/tables.csv (with a provenance sidecar), each atomically, and prints the Markdown. Peers' results
 * ({@code tools/peers/hf_peers.py}) among the files add Table 2's peer rows (in table2.md, and DIR/peers.csv); a
 * teacher-forcing report ({@code tools/peers/teacher_force.py}) given with --exactness becomes DIR/exactness.md.
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

    @Option(names = "--exactness", paramLabel = "JSON", description = "a report of tools/peers/teacher_force.py, written as exactness.md")
    Path exactness;

    @Override
    public Integer call() throws Exception {
        // Read and check everything before writing anything.
        DecodeResults loaded = DecodeResults.load(results);
        PaperTables tables = PaperTables.of(loaded.runs());
        PeerComparison peers = PeerComparison.of(loaded.runs());
        ExactnessReport report = exactness == null ? null : ExactnessReport.read(exactness);
        String table1 = MarkdownTables.table1(tables, loaded.sources());
        String peerRows = MarkdownTables.peers(peers, loaded.sources());
        String table2 = MarkdownTables.table2(tables, loaded.sources()) + (peerRows.isEmpty() ? "" : "\n" + peerRows);
        List<Path> written = new ArrayList<>(List.of(out.resolve("table1.md"), out.resolve("table2.md"), out.resolve("tables.csv")));
        ResultFiles.writeAtomically(out.resolve("table1.md"), table1.getBytes(StandardCharsets.UTF_8));
        ResultFiles.writeAtomically(out.resolve("table2.md"), table2.getBytes(StandardCharsets.UTF_8));
        String machines = loaded.sources().stream().flatMap(s -> s.devices().stream()).distinct().collect(Collectors.joining(" / "));
        Provenance provenance = Provenance.of(Invocation.get(), "derived from runs on " + machines);
        ResultFiles.write(out.resolve("tables.csv"), CsvTables.csv(tables.combined()), provenance);
        if (!peers.isEmpty()) {
            ResultFiles.write(out.resolve("peers.csv"), CsvTables.csv(peers.table()), provenance);
            written.add(out.resolve("peers.csv"));
        }
        String exactnessMd = report == null ? null : MarkdownTables.exactness(report);
        if (exactnessMd != null) {
            ResultFiles.writeAtomically(out.resolve("exactness.md"), exactnessMd.getBytes(StandardCharsets.UTF_8));
            written.add(out.resolve("exactness.md"));
        }
        PrintWriter pw = spec.commandLine().getOut();
        pw.println(table1);
        pw.println(table2);
        if (exactnessMd != null) pw.println(exactnessMd);
        pw.println("wrote " + written.stream().map(Path::toString).collect(Collectors.joining(", "))
                + " from " + loaded.runs().size() + " runs in " + loaded.sources().stream().map(SourceFile::path).map(Path::toString)
                .collect(Collectors.joining(", ")));
        pw.flush();
        return 0;
    }
}

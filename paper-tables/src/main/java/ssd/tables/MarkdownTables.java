package ssd.tables;

import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Renders Tables 1 and 2 as GitHub Markdown: a caption naming the sources, the table, and a note on definitions. */
public final class MarkdownTables {
    /** One rendered column: the table's column, its header and how its numbers are printed. */
    private record Col(String name, String header, String format) {
    }

    private static final List<Col> TABLE1 = List.of(
            new Col("tokens", "tokens", "%.0f"),
            new Col("mb_per_token", "MB read / token", "%.2f"),
            new Col("oracle_mb_per_token", "oracle MB / token", "%.2f"),
            new Col("draft_mb_per_token", "draft MB / token", "%.2f"),
            new Col("relative_bytes_per_token", "bytes / token vs baseline", "%.3fx"));
    private static final List<Col> TABLE2 = List.of(
            new Col("prompts", "prompts", "%.0f"),
            new Col("tokens", "tokens", "%.0f"),
            new Col("tokens_per_s", "tokens/s", "%.1f"),
            new Col("relative_throughput", "throughput vs baseline", "%.3fx"),
            new Col("geomean_speedup", "per-prompt geomean", "%.3fx"),
            new Col("accepted_per_oracle_call", "accepted / oracle call", "%.2f"),
            new Col("ngram_pct", "n-gram %", "%.1f"),
            new Col("draft_pct", "draft %", "%.1f"),
            new Col("oracle_pct", "oracle %", "%.1f"));

    /** What Table 1's numbers are. */
    public static final String TABLE1_NOTE = "Bytes per token: the runs' summed `stats.bytes_read` (oracle + draft forwards, as the "
            + "decoder accounts them) over their generated tokens, MB = 10^6 bytes; relative to the baseline of the same sampling mode, "
            + "device and dtype.";
    /** What Table 2's numbers are. */
    public static final String TABLE2_NOTE = "Throughput: total generated tokens / total recorded `seconds` over all runs of a group, "
            + "relative to the baseline of the same sampling mode, device and dtype. Per-prompt geomean: geometric mean, over the prompts "
            + "decoded by both, of the method's tokens/s over the baseline's. Accepted / oracle call: draft and n-gram tokens accepted per "
            + "oracle forward (`stats.mean_accepted_per_oracle_call` weighted by forwards). Origin shares: which model produced each "
            + "generated token.";
    private static final List<Col> PEERS = List.of(
            new Col("prompts", "prompts", "%.0f"),
            new Col("tokens", "tokens", "%.0f"),
            new Col("tokens_per_s", "tokens/s", "%.1f"),
            new Col("baseline_tokens_per_s", "our baseline tokens/s", "%.1f"),
            new Col("staged_tokens_per_s", "our staged tokens/s", "%.1f"),
            new Col("baseline_over_peer", "baseline / peer", "%.2fx"),
            new Col("speculative_over_peer", "speculative / peer", "%.2fx"),
            new Col("staged_over_peer", "staged / peer", "%.2fx"),
            new Col("accepted_per_oracle_call", "accepted / oracle call", "%.2f"));

    private MarkdownTables() {
    }

    /** Table 1 as text cells, header row first, numbers printed as in the Markdown (what the report shows as HTML). */
    public static List<List<String>> table1Grid(PaperTables tables) {
        return grid(tables.table1(), TABLE1, tables.setups().size() > 1);
    }

    /** Table 2 as text cells, header row first. */
    public static List<List<String>> table2Grid(PaperTables tables) {
        return grid(tables.table2(), TABLE2, tables.setups().size() > 1);
    }

    private static List<List<String>> grid(Table t, List<Col> numeric, boolean withSetup) {
        List<List<String>> rows = new ArrayList<>();
        List<String> headers = new ArrayList<>();
        if (withSetup) headers.add("device, dtype");
        headers.addAll(List.of("sampling", "method"));
        numeric.forEach(c -> headers.add(c.header()));
        rows.add(headers);
        for (int i = 0; i < t.rowCount(); i++) {
            List<String> cells = new ArrayList<>();
            if (withSetup) cells.add(t.stringColumn(PaperTables.SETUP).get(i));
            cells.add(t.stringColumn(PaperTables.SAMPLING).get(i));
            cells.add(t.stringColumn(PaperTables.METHOD).get(i));
            for (Col c : numeric) cells.add(cell(t.column(c.name()), i, c.format()));
            rows.add(cells);
        }
        return rows;
    }

    /**
     * Table 2's peer rows (empty text when there are none): stock transformers decoding against ours on the prompts
     * each peer decoded.
     */
    public static String peers(PeerComparison peers, List<SourceFile> sources) {
        if (peers.isEmpty()) return "";
        Table t = peers.table();
        String implementations = t.stringColumn("implementation").unique().asList().stream().sorted().collect(Collectors.joining(", "));
        boolean withSetup = t.stringColumn(PaperTables.SETUP).unique().size() > 1;
        return "**Table 2, peers.** Stock decoding (" + implementations + ") on the same checkpoints, prompts, dtype and card, "
                + "against our methods on the prompts each peer decoded. " + sourcesLine(sources) + "\n\n"
                + render(t, PEERS, withSetup) + "\n"
                + "Peers: `hf-generate` is `generate()` with its dynamic cache; `hf-static-compiled` the static cache with "
                + "transformers' automatic `torch.compile` of the decoding step; `hf-assisted` assisted generation with our draft "
                + "as `assistant_model`; `hf-prompt-lookup` prompt lookup decoding (docs/peers.md). A peer decodes the first "
                + "prompts of our run within a time budget; our tokens/s are pooled over exactly those prompts, and X / peer is our "
                + "method's tokens/s over the peer's (- where our run lacks one of its prompts). Accepted / oracle call: from the "
                + "forwards the peer counted (assisted and prompt lookup only).\n";
    }

    public static String table1(PaperTables tables, List<SourceFile> sources) {
        return "**Table 1.** Memory traffic per generated token relative to the baseline. " + sourcesLine(sources) + "\n\n"
                + render(tables.table1(), TABLE1, tables.setups().size() > 1) + "\n"
                + TABLE1_NOTE + "\n";
    }

    public static String table2(PaperTables tables, List<SourceFile> sources) {
        return "**Table 2.** Decoding throughput relative to the baseline. " + sourcesLine(sources) + "\n\n"
                + render(tables.table2(), TABLE2, tables.setups().size() > 1) + "\n"
                + TABLE2_NOTE + "\n";
    }

    /** The exactness table: every run's tokens teacher-forced through an independent forward, counted per file and method. */
    public static String exactness(ExactnessReport report) {
        StringBuilder md = new StringBuilder("**Exactness.** Every generated token teacher-forced through ").append(report.reference())
                .append("; tolerance: ").append(report.tolerance()).append(". Source: ").append(describeReport(report.source())).append(".\n\n");
        if (!report.greedy().isEmpty()) {
            md.append("| results | method | dtype | runs | tokens | argmax | ties | mismatches | largest tie gap |\n")
                    .append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
            for (ExactnessReport.Group g : report.greedy())
                md.append(String.format(Locale.ROOT, "| `%s` | %s | %s | %d | %d | %d | %d | %d | %s |%n", fileName(g.file()), g.method(), g.dtype(),
                        g.runs(), g.tokens(), g.first(), g.second(), g.third(),
                        g.second() == 0 ? "-" : String.format(Locale.ROOT, "%.3g", g.largestTieGap())));
            md.append('\n');
        }
        if (!report.topK().isEmpty()) {
            md.append("| results | method | sampling | dtype | runs | tokens | inside top-k | near boundary | outside |\n")
                    .append("| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
            for (ExactnessReport.Group g : report.topK())
                md.append(String.format(Locale.ROOT, "| `%s` | %s | %s | %s | %d | %d | %d | %d | %d |%n", fileName(g.file()), g.method(), g.sampling(),
                        g.dtype(), g.runs(), g.tokens(), g.first(), g.second(), g.third()));
            md.append('\n');
        }
        md.append(String.format(Locale.ROOT, "Greedy: %d mismatches beyond the tolerance in %d runs. Top-k: %d tokens outside the reference "
                        + "top-k set. A tie is a token that is not the reference argmax but whose logit is within the tolerance of it; near "
                        + "boundary, a sampled token whose logit is within the tolerance of the k-th largest, either side (docs/peers.md).%n",
                report.mismatches(), report.greedy().stream().mapToLong(ExactnessReport.Group::runs).sum(), report.outside()));
        return md.toString();
    }

    private static String fileName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    private static String describeReport(SourceFile s) {
        List<String> parts = new ArrayList<>();
        if (s.date() != null) parts.add(s.date().length() >= 10 ? s.date().substring(0, 10) : s.date());
        if (s.gitCommit() != null) parts.add("commit " + (s.gitCommit().length() > 12 ? s.gitCommit().substring(0, 12) : s.gitCommit()));
        return "`" + s.path() + "`" + (parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")");
    }

    /** "Sources: `file` (N runs; device, dtype; date, commit abc1234); ..." */
    static String sourcesLine(List<SourceFile> sources) {
        return "Sources: " + sources.stream().map(MarkdownTables::describe).collect(Collectors.joining("; ")) + ".";
    }

    private static String describe(SourceFile s) {
        List<String> parts = new ArrayList<>();
        parts.add(s.runs() + " runs");
        parts.add(String.join(" / ", s.devices()) + ", " + String.join(" / ", s.dtypes()));
        if (s.date() != null) parts.add(s.date().length() >= 10 ? s.date().substring(0, 10) : s.date());
        if (s.gitCommit() != null) parts.add("commit " + (s.gitCommit().length() > 12 ? s.gitCommit().substring(0, 12) : s.gitCommit()));
        return "`" + s.path() + "` (" + String.join(", ", parts) + ")";
    }

    private static String render(Table t, List<Col> numeric, boolean withSetup) {
        List<String> headers = new ArrayList<>();
        StringBuilder align = new StringBuilder("|");
        if (withSetup) {
            headers.add("device, dtype");
            align.append(" --- |");
        }
        headers.add("sampling");
        headers.add("method");
        align.append(" --- | --- |");
        for (Col c : numeric) {
            headers.add(c.header());
            align.append(" ---: |");
        }
        StringBuilder md = new StringBuilder("| ").append(String.join(" | ", headers)).append(" |\n").append(align).append('\n');
        for (int i = 0; i < t.rowCount(); i++) {
            List<String> cells = new ArrayList<>();
            if (withSetup) cells.add(t.stringColumn(PaperTables.SETUP).get(i));
            cells.add(t.stringColumn(PaperTables.SAMPLING).get(i));
            cells.add(t.stringColumn(PaperTables.METHOD).get(i));
            for (Col c : numeric) cells.add(cell(t.column(c.name()), i, c.format()));
            md.append("| ").append(cells.stream().map(s -> s.replace("|", "\\|")).collect(Collectors.joining(" | "))).append(" |\n");
        }
        return md.toString();
    }

    private static String cell(Column<?> column, int row, String format) {
        if (column.isMissing(row)) return "-";
        double v = ((NumericColumn<?>) column).getDouble(row);
        return Double.isFinite(v) ? String.format(Locale.ROOT, format, v) : "-";
    }
}

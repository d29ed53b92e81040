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

package ssd.tables;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The paper comparison as GitHub Markdown: per setup, Table 1's cells and Table 2's, then what the columns mean. */
public final class ComparisonMarkdown {
    private ComparisonMarkdown() {
    }

    public static String render(PaperComparison comparison, List<SourceFile> sources) {
        StringBuilder md = new StringBuilder("**Paper vs ours.** Every cell of the paper's Tables 1 and 2 beside our predictions for the "
                + "paper's card and our measurements. " + MarkdownTables.sourcesLine(sources) + "\n");
        for (PaperComparison.Section s : comparison.sections()) {
            for (int table : new int[]{1, 2}) {
                md.append("\n*Table ").append(table).append(", measured on ").append(s.setup()).append("*\n\n");
                List<List<String>> grid = grid(comparison, s, table);
                md.append(line(grid.get(0))).append(line(grid.get(0).stream().map(h -> "---").toList()));
                for (List<String> row : grid.subList(1, grid.size())) md.append(line(row));
            }
        }
        md.append('\n').append(PaperClaims.TABLE1_NOTE).append(' ').append(PaperClaims.TABLE2_NOTE).append('\n');
        for (Profile p : comparison.profiles()) md.append("\n- ").append(p.header()).append(": ").append(p.description());
        md.append("\n- measured: Table 1 from the decoder's own byte accounting (`stats.bytes_read`: weights and KV cache read by "
                + "oracle and draft forwards), Table 2 from wall time (total tokens / total seconds of each group).\n");
        return md.toString();
    }

    /** Header and rows of one table of one section, as text cells (the report renders the same cells as HTML). */
    public static List<List<String>> grid(PaperComparison comparison, PaperComparison.Section section, int table) {
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("comparison", "sampling", "paper"));
        comparison.profiles().forEach(p -> header.add(p.header()));
        header.add("measured");
        rows.add(header);
        for (PaperComparison.Row r : section.table(table)) {
            Comparison c = r.claim().comparison();
            List<String> cells = new ArrayList<>(List.of(c.label(), r.claim().samplingMode(), r.claim().paper().text(c)));
            r.predicted().forEach(v -> cells.add(v.text(c)));
            cells.add(r.measured().text(c));
            rows.add(cells);
        }
        return rows;
    }

    private static String line(List<String> cells) {
        return "| " + cells.stream().map(s -> s.replace("|", "\\|")).collect(Collectors.joining(" | ")) + " |\n";
    }
}

package ssd.tables;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Tables 1 and 2 as text cells (the report's HTML tables): the same headers and numbers as the Markdown. */
class TableGridsTest {
    @TempDir
    Path dir;

    @Test
    void gridsHoldTheMarkdownsCells() throws Exception {
        PaperTablesTest synthetic = new PaperTablesTest();
        synthetic.dir = dir;
        DecodeResults results = DecodeResults.load(List.of(synthetic.synthetic()));
        PaperTables tables = PaperTables.of(results.runs());
        List<List<String>> t2 = MarkdownTables.table2Grid(tables), t1 = MarkdownTables.table1Grid(tables);
        assertThat(t2.get(0)).containsExactly("sampling", "method", "prompts", "tokens", "tokens/s", "throughput vs baseline", "per-prompt geomean",
                "accepted / oracle call", "n-gram %", "draft %", "oracle %");
        assertThat(t2).hasSize(1 + 5).contains(List.of("greedy", "speculative", "2", "30", "40.0", "2.667x", "2.828x", "1.80", "0.0", "60.0", "40.0"));
        String md = MarkdownTables.table2(tables, results.sources());
        for (List<String> row : t2) assertThat(md).contains("| " + String.join(" | ", row) + " |");
        assertThat(t1).contains(List.of("greedy", "staged", "10", "0.00", "0.00", "0.00", "0.400x"));
        assertThat(MarkdownTables.table1(tables, results.sources())).contains(MarkdownTables.TABLE1_NOTE);
    }
}

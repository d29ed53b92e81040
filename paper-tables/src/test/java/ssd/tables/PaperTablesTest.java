package ssd.tables;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Tables 1 and 2 from small synthetic bench-decode files whose numbers are known. */
class PaperTablesTest {
    @TempDir
    Path dir;

    /** One bench-decode record: {@code drafted} of its tokens from the draft, the rest from the oracle. */
    static String run(String task, String method, double temperature, int topK, int tokens, int drafted, double seconds, long bytes,
                      int oracleCalls, double acceptedPerCall) {
        List<String> origins = new java.util.ArrayList<>(Collections.nCopies(drafted, "\"DRAFT\""));
        origins.addAll(Collections.nCopies(tokens - drafted, "\"ORACLE\""));
        return String.format(Locale.ROOT, "{\"task_id\":\"%s\",\"method\":\"%s\",\"device\":\"Test CPU\",\"dtype\":\"fp32\","
                        + "\"sampling\":{\"temperature\":%s,\"top_k\":%d,\"seed\":3},\"tokens\":%s,\"origins\":[%s],"
                        + "\"text\":\"x\",\"tokens_per_second\":%s,\"seconds\":%s,\"stats\":{\"oracle_forwards\":%d,\"draft_forwards\":0,"
                        + "\"mean_accepted_per_oracle_call\":%s,\"bytes_read\":%d,\"oracle_bytes_read\":%d,\"draft_bytes_read\":%d,\"ms\":{}}}",
                task, method, temperature, topK, Collections.nCopies(tokens, 7), String.join(",", origins), tokens / seconds, seconds,
                oracleCalls, acceptedPerCall, bytes, bytes - bytes / 4, bytes / 4);
    }

    /**
     * Greedy: baseline 30 tokens in 2 s (15 tok/s), 3000 bytes (100/token); speculative 30 tokens in 0.75 s (40 tok/s),
     * per prompt 2x and 4x; staged only on t/0, 4x. Top-k: baseline and staged on t/0.
     */
    Path synthetic() throws Exception {
        Path f = dir.resolve("runs.jsonl");
        Files.write(f, List.of(
                run("t/0", "baseline", 0, 0, 10, 0, 1.0, 1000, 9, 0),
                run("t/1", "baseline", 0, 0, 20, 0, 1.0, 2000, 19, 0),
                run("t/0", "speculative", 0, 0, 10, 6, 0.5, 600, 4, 1.5),
                run("t/1", "speculative", 0, 0, 20, 12, 0.25, 900, 6, 2.0),
                "",
                run("t/0", "staged", 0, 0, 10, 8, 0.25, 400, 2, 4.0),
                run("t/0", "baseline", 1.0, 50, 10, 0, 2.0, 1000, 9, 0),
                run("t/0", "staged", 1.0, 50, 10, 5, 1.0, 800, 5, 1.0)));
        Files.writeString(dir.resolve("runs.jsonl.provenance.json"),
                "{\"command\":\"ssd bench-decode\",\"machine\":\"Test CPU\",\"date\":\"2026-01-02T03:04:05Z\",\"git_commit\":\"0123456789abcdef\"}");
        return f;
    }

    private static int row(Table t, String sampling, String method) {
        for (int i = 0; i < t.rowCount(); i++)
            if (t.stringColumn("sampling").get(i).equals(sampling) && t.stringColumn("method").get(i).equals(method)) return i;
        throw new AssertionError("no row " + sampling + " / " + method);
    }

    private static double value(Table t, String column, String sampling, String method) {
        return t.numberColumn(column).getDouble(row(t, sampling, method));
    }

    @Test
    void table2GivesPooledAndPerPromptSpeedups() throws Exception {
        PaperTables tables = PaperTables.of(DecodeResults.load(List.of(synthetic())).runs());
        Table t2 = tables.table2();
        assertThat(t2.stringColumn("method").asList()).containsExactly("baseline", "speculative", "staged", "baseline", "staged");
        assertThat(t2.stringColumn("sampling").asList()).containsExactly("greedy", "greedy", "greedy", "top-k (k=50, T=1)", "top-k (k=50, T=1)");
        assertThat(value(t2, "tokens_per_s", "greedy", "baseline")).isCloseTo(15.0, within(1e-12));
        assertThat(value(t2, "relative_throughput", "greedy", "baseline")).isCloseTo(1.0, within(1e-12));
        assertThat(value(t2, "relative_throughput", "greedy", "speculative")).isCloseTo(40.0 / 15.0, within(1e-12));
        assertThat(value(t2, "geomean_speedup", "greedy", "speculative")).isCloseTo(Math.sqrt(8), within(1e-12));
        // staged decoded t/0 only: pooled 10 tokens / 0.25 s against the baseline's 15 tok/s, per prompt 40 vs 10 tok/s
        assertThat(value(t2, "relative_throughput", "greedy", "staged")).isCloseTo(40.0 / 15.0, within(1e-12));
        assertThat(value(t2, "geomean_speedup", "greedy", "staged")).isCloseTo(4.0, within(1e-12));
        assertThat(value(t2, "speedup_prompts", "greedy", "staged")).isEqualTo(1);
        assertThat(value(t2, "relative_throughput", "top-k (k=50, T=1)", "staged")).isCloseTo(2.0, within(1e-12));
        // (1.5 * 4 + 2.0 * 6) / 10 accepted per oracle call; 18 of 30 tokens from the draft
        assertThat(value(t2, "accepted_per_oracle_call", "greedy", "speculative")).isCloseTo(1.8, within(1e-12));
        assertThat(value(t2, "draft_pct", "greedy", "speculative")).isCloseTo(60.0, within(1e-12));
        assertThat(value(t2, "oracle_pct", "greedy", "speculative")).isCloseTo(40.0, within(1e-12));
        assertThat(value(t2, "oracle_pct", "greedy", "baseline")).isCloseTo(100.0, within(1e-12));
    }

    @Test
    void table1GivesBytesPerTokenRelativeToTheBaseline() throws Exception {
        Table t1 = PaperTables.of(DecodeResults.load(List.of(synthetic())).runs()).table1();
        assertThat(value(t1, "mb_per_token", "greedy", "baseline")).isCloseTo(100 / 1e6, within(1e-15));
        assertThat(value(t1, "relative_bytes_per_token", "greedy", "baseline")).isCloseTo(1.0, within(1e-12));
        assertThat(value(t1, "relative_bytes_per_token", "greedy", "speculative")).isCloseTo(0.5, within(1e-12));
        assertThat(value(t1, "relative_bytes_per_token", "greedy", "staged")).isCloseTo(0.4, within(1e-12));
        assertThat(value(t1, "relative_bytes_per_token", "top-k (k=50, T=1)", "staged")).isCloseTo(0.8, within(1e-12));
        assertThat(value(t1, "oracle_mb_per_token", "greedy", "baseline")).isCloseTo(75 / 1e6, within(1e-15));
    }

    @Test
    void markdownNamesItsSourcesAndShowsTheNumbers() throws Exception {
        DecodeResults results = DecodeResults.load(List.of(synthetic()));
        PaperTables tables = PaperTables.of(results.runs());
        String t2 = MarkdownTables.table2(tables, results.sources());
        assertThat(t2).contains("**Table 2.**", "runs.jsonl` (7 runs, Test CPU, fp32, 2026-01-02, commit 0123456789ab)",
                "| sampling | method |", "| greedy | speculative | 2 | 30 | 40.0 | 2.667x | 2.828x | 1.80 | 0.0 | 60.0 | 40.0 |",
                "| top-k (k=50, T=1) | staged |");
        assertThat(MarkdownTables.table1(tables, results.sources())).contains("**Table 1.**", "| greedy | staged | 10 | 0.00 | 0.00 | 0.00 | 0.400x |");
        assertThat(CsvTables.csv(tables.combined())).startsWith("setup,sampling,method,prompts,tokens,")
                .contains("\"Test CPU, fp32\",greedy,speculative,2,30,0.75,40,2.6666666666666665,2.82842712474619,2,1.8,0,60,40,5.0E-5,");
    }

    @Test
    void aMalformedLineInAnyFileIsNamedByFileAndLine() throws Exception {
        Path f = dir.resolve("bad.jsonl");
        String good = run("t/0", "baseline", 0, 0, 4, 0, 1.0, 100, 3, 0);
        Files.write(f, List.of(good, good.replace("\"bytes_read\":100,", "")));
        assertThatThrownBy(() -> DecodeResults.load(List.of(synthetic(), f)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(f + ":2: missing field stats.bytes_read");
        assertThatThrownBy(() -> DecodeResults.load(List.of(synthetic(), dir.resolve("absent.jsonl"))))
                .hasMessage(dir.resolve("absent.jsonl") + ": no such file");
        assertThatThrownBy(() -> DecodeResults.load(List.of())).hasMessage("no results files given");
    }

    @Test
    void aSamplingModeWithoutBaselineIsRefused() throws Exception {
        Path f = dir.resolve("nobase.jsonl");
        Files.write(f, List.of(run("t/0", "baseline", 0, 0, 4, 0, 1.0, 100, 3, 0), run("t/0", "staged", 0.7, 40, 4, 2, 1.0, 100, 2, 1.0)));
        assertThatThrownBy(() -> PaperTables.of(DecodeResults.load(List.of(f)).runs()))
                .hasMessageStartingWith("no baseline runs for top-k (k=40, T=0.7) on Test CPU, fp32");
    }
}

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

/** Table 2's peer rows from synthetic bench-decode and peer records whose numbers are known. */
class PeerComparisonTest {
    @TempDir
    Path dir;

    /** A peer record as tools/peers/hf_peers.py writes it (stats only where it counted forwards). */
    static String peer(String task, String method, int tokens, double seconds, String stats) {
        return String.format(Locale.ROOT, "{\"task_id\":\"%s\",\"method\":\"%s\",\"device\":\"Test CPU\",\"dtype\":\"fp32\","
                        + "\"sampling\":{\"temperature\":0.0,\"top_k\":0,\"seed\":0},\"prompt_token_count\":2,\"prompt_tokens\":[1,2],"
                        + "\"tokens\":%s,\"stop_reason\":\"max_tokens\",\"ms_per_token\":1.0,\"tokens_per_second\":%s,\"seconds\":%s,%s"
                        + "\"peer\":{\"implementation\":\"transformers\",\"transformers\":\"5.17.0\",\"torch\":\"2.11.0\",\"generate\":{}}}",
                task, method, Collections.nCopies(tokens, 7), tokens / seconds, seconds, stats == null ? "" : "\"stats\":" + stats + ",");
    }

    /**
     * Ours: baseline 10 tokens in 0.1 s on t/0 and in 0.4 s on t/1; staged 10 in 0.05 s on each; speculative on t/1 only.
     * Peers: hf-generate on t/0 (10 tokens in 1 s), hf-assisted on t/0 and t/1 (10 in 0.5 s each, 4 and 6 forwards).
     */
    private List<DecodeRun> runs() throws Exception {
        Path f = dir.resolve("runs.jsonl");
        Files.write(f, List.of(
                PaperTablesTest.run("t/0", "baseline", 0, 0, 10, 0, 0.1, 100, 10, 0),
                PaperTablesTest.run("t/1", "baseline", 0, 0, 10, 0, 0.4, 100, 10, 0),
                PaperTablesTest.run("t/0", "staged", 0, 0, 10, 5, 0.05, 100, 2, 4),
                PaperTablesTest.run("t/1", "staged", 0, 0, 10, 5, 0.05, 100, 2, 4),
                PaperTablesTest.run("t/1", "speculative", 0, 0, 10, 5, 0.2, 100, 5, 1),
                peer("t/0", "hf-assisted", 10, 0.5, "{\"oracle_forwards\":4,\"mean_accepted_per_oracle_call\":1.5,\"draft_forwards\":9}"),
                peer("t/1", "hf-assisted", 10, 0.5, "{\"oracle_forwards\":6,\"mean_accepted_per_oracle_call\":0.6667,\"draft_forwards\":9}"),
                peer("t/0", "hf-generate", 10, 1.0, null)));
        return DecodeResults.load(List.of(f)).runs();
    }

    private static double value(Table t, String column, String method) {
        for (int i = 0; i < t.rowCount(); i++)
            if (t.stringColumn("method").get(i).equals(method)) return t.numberColumn(column).getDouble(i);
        throw new AssertionError("no row " + method);
    }

    @Test
    void oursAreRestrictedToEachPeersPrompts() throws Exception {
        Table t = PeerComparison.of(runs()).table();
        assertThat(t.stringColumn("method").asList()).containsExactly("hf-generate", "hf-assisted"); // peer order, not file order
        assertThat(t.stringColumn("implementation").asList()).containsOnly("transformers 5.17.0");
        // hf-generate ran t/0 only: our baseline there is 100 tok/s, staged 200, against its 10
        assertThat(value(t, "prompts", "hf-generate")).isEqualTo(1);
        assertThat(value(t, "tokens_per_s", "hf-generate")).isCloseTo(10, within(1e-9));
        assertThat(value(t, "baseline_tokens_per_s", "hf-generate")).isCloseTo(100, within(1e-9));
        assertThat(value(t, "baseline_over_peer", "hf-generate")).isCloseTo(10, within(1e-9));
        assertThat(value(t, "staged_over_peer", "hf-generate")).isCloseTo(20, within(1e-9));
        assertThat(value(t, "speculative_over_peer", "hf-generate")).isNaN(); // speculative lacks t/0
        assertThat(value(t, "accepted_per_oracle_call", "hf-generate")).isNaN(); // it counted no forwards
        // hf-assisted ran both: baseline 20 tokens in 0.5 s (40 tok/s) against its 20 in 1 s
        assertThat(value(t, "baseline_over_peer", "hf-assisted")).isCloseTo(2, within(1e-9));
        assertThat(value(t, "staged_over_peer", "hf-assisted")).isCloseTo(10, within(1e-9));
        assertThat(value(t, "accepted_per_oracle_call", "hf-assisted")).isCloseTo((1.5 * 4 + 0.6667 * 6) / 10, within(1e-9));
    }

    @Test
    void theTablesOfOurMethodsIgnoreThePeers() throws Exception {
        Table t2 = PaperTables.of(runs()).table2();
        assertThat(t2.stringColumn("method").asList()).containsExactly("baseline", "speculative", "staged");
        assertThat(t2.numberColumn("prompts").getDouble(0)).isEqualTo(2);
    }

    @Test
    void markdownAndCsvShowThePeerRows() throws Exception {
        runs(); // writes runs.jsonl
        DecodeResults results = DecodeResults.load(List.of(dir.resolve("runs.jsonl")));
        PeerComparison peers = PeerComparison.of(results.runs());
        assertThat(MarkdownTables.peers(peers, results.sources())).contains("**Table 2, peers.** Stock decoding (transformers 5.17.0)",
                "runs.jsonl` (8 runs, Test CPU, fp32)",
                "| sampling | method | prompts | tokens | tokens/s | our baseline tokens/s | our staged tokens/s | baseline / peer |",
                "| greedy | hf-generate | 1 | 10 | 10.0 | 100.0 | 200.0 | 10.00x | - | 20.00x | - |",
                "| greedy | hf-assisted | 2 | 20 | 20.0 | 40.0 | 200.0 | 2.00x | - | 10.00x | 1.00 |");
        assertThat(CsvTables.csv(peers.table())).startsWith("setup,sampling,method,implementation,prompts,tokens,seconds,tokens_per_s,")
                .contains("\"Test CPU, fp32\",greedy,hf-generate,transformers 5.17.0,1,10,1,10,100,");
        List<DecodeRun> oursOnly = results.runs().stream().filter(r -> !r.isPeer()).toList();
        assertThat(PeerComparison.of(oursOnly).isEmpty()).isTrue();
        assertThat(MarkdownTables.peers(PeerComparison.of(oursOnly), results.sources())).isEmpty();
    }

    @Test
    void aPeerWithoutOurRunsOfItsSetupIsRefused() throws Exception {
        Path f = dir.resolve("alone.jsonl");
        Files.write(f, List.of(PaperTablesTest.run("t/0", "baseline", 1.0, 50, 4, 0, 1.0, 100, 3, 0), peer("t/0", "hf-generate", 4, 1.0, null)));
        assertThatThrownBy(() -> PeerComparison.of(DecodeResults.load(List.of(f)).runs()))
                .hasMessage("no runs of our methods for greedy on Test CPU, fp32 (found peer hf-generate): peers are compared with "
                        + "ours decoded with the same sampling, device and dtype");
        Path only = dir.resolve("only.jsonl");
        Files.write(only, List.of(peer("t/0", "hf-generate", 4, 1.0, null)));
        assertThatThrownBy(() -> PaperTables.of(DecodeResults.load(List.of(only)).runs())).hasMessageStartingWith("only peers' runs");
    }
}

package ssd.harness.tables;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ssd.harness.SsdRun;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** `ssd tables` on small synthetic bench-decode files: what is printed, what is written, and refusals. */
class TablesCommandTest {
    @TempDir
    Path dir;



    private static String record(String task, String method, double temperature, int tokens, double seconds, long bytes) {
        String origins = String.join(",", Collections.nCopies(tokens, "\"ORACLE\""));
        return String.format(Locale.ROOT, "{\"task_id\":\"%s\",\"method\":\"%s\",\"device\":\"Test CPU\",\"dtype\":\"fp32\","
                        + "\"sampling\":{\"temperature\":%s,\"top_k\":%d,\"seed\":0},\"tokens\":%s,\"origins\":[%s],\"text\":\"x\","
                        + "\"seconds\":%s,\"tokens_per_second\":%s,"
                        + "\"stats\":{\"oracle_forwards\":%d,\"mean_accepted_per_oracle_call\":0.0,\"bytes_read\":%d,"
                        + "\"oracle_bytes_read\":%d,\"draft_bytes_read\":0}}",
                task, method, temperature, temperature == 0 ? 0 : 50, Collections.nCopies(tokens, 1), origins, seconds, tokens / seconds,
                tokens, bytes, bytes);
    }

    @Test
    void writesBothTablesAndTheCsv() throws Exception {
        Path greedy = dir.resolve("greedy.jsonl"), topk = dir.resolve("topk.jsonl");
        // greedy: baseline 20 tok/s, 3 MB/token; staged 50 tok/s (2.5x), 1.2 MB/token (0.4x)
        Files.write(greedy, List.of(record("t/0", "baseline", 0, 10, 0.5, 30_000_000), record("t/0", "staged", 0, 10, 0.2, 12_000_000)));
        // top-k: baseline 10 tok/s; speculative 15 tok/s (1.5x), 2.4 MB/token against 3 (0.8x)
        Files.write(topk, List.of(record("t/0", "baseline", 1, 10, 1.0, 30_000_000), record("t/0", "speculative", 1, 10, 2.0 / 3, 24_000_000)));
        Path out = dir.resolve("out");

        SsdRun r = SsdRun.of("tables", "--results", greedy.toString(), "--results", topk.toString(), "--out", out.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        String table1 = Files.readString(out.resolve("table1.md")), table2 = Files.readString(out.resolve("table2.md"));
        assertThat(table2).contains("greedy.jsonl` (2 runs, Test CPU, fp32)", "topk.jsonl",
                "| greedy | staged | 1 | 10 | 50.0 | 2.500x | 2.500x |", "| top-k (k=50, T=1) | speculative | 1 | 10 | 15.0 | 1.500x | 1.500x |");
        assertThat(table1).contains("| greedy | baseline | 10 | 3.00 | 3.00 | 0.00 | 1.000x |", "| greedy | staged | 10 | 1.20 | 1.20 | 0.00 | 0.400x |",
                "| top-k (k=50, T=1) | speculative | 10 | 2.40 | 2.40 | 0.00 | 0.800x |");
        assertThat(r.out()).contains(table1, table2, "wrote ");
        List<String> csv = Files.readAllLines(out.resolve("tables.csv"));
        assertThat(csv).hasSize(5);
        assertThat(csv.get(0)).startsWith("setup,sampling,method,").contains("relative_throughput", "relative_bytes_per_token");
        assertThat(csv).anySatisfy(l -> assertThat(l).startsWith("\"Test CPU, fp32\",greedy,staged,1,10,0.2,50,2.5,2.5,").endsWith(",0.4"));
        assertThat(out.resolve("tables.csv.provenance.json")).exists();
        assertThat(out.resolve("peers.csv")).doesNotExist(); // no peer records
        assertThat(out.resolve("exactness.md")).doesNotExist();
        assertThat(table2).doesNotContain("peers");
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    /** A record of tools/peers/hf_peers.py: the bench-decode fields every run has, and "peer". */
    private static String peerRecord(String task, String method, int tokens, double seconds) {
        return String.format(Locale.ROOT, "{\"task_id\":\"%s\",\"method\":\"%s\",\"device\":\"Test CPU\",\"dtype\":\"fp32\","
                        + "\"sampling\":{\"temperature\":0.0,\"top_k\":0,\"seed\":0},\"prompt_tokens\":[1],\"tokens\":%s,"
                        + "\"seconds\":%s,\"tokens_per_second\":%s,\"peer\":{\"implementation\":\"transformers\",\"transformers\":\"5.17.0\"}}",
                task, method, Collections.nCopies(tokens, 1), seconds, tokens / seconds);
    }

    private static final String EXACTNESS = """
            {"model": "m", "reference": "transformers 5.17.0 GPT2LMHeadModel forward, fp32", "tolerance": "fixed 0.001",
             "greedy": [{"file": "dir/greedy.jsonl", "method": "baseline", "peer": false, "sampling": "greedy", "dtype": "fp32",
                         "runs": 1, "tokens": 10, "argmax": 9, "tie": 1, "mismatch": 0, "largest_tie_gap": 0.0004}],
             "top_k": [], "verdict": {"pass": true}}""";

    @Test
    void writesThePeersRowsAndTheExactnessTable() throws Exception {
        Path greedy = dir.resolve("greedy.jsonl"), peers = dir.resolve("peers.jsonl"), report = dir.resolve("exactness.json");
        // baseline 20 tok/s on t/0, 10 tok/s on t/1; staged 50 tok/s on t/0; hf-generate 2 tok/s on t/0 only
        Files.write(greedy, List.of(record("t/0", "baseline", 0, 10, 0.5, 100), record("t/1", "baseline", 0, 10, 1.0, 100),
                record("t/0", "staged", 0, 10, 0.2, 100)));
        Files.write(peers, List.of(peerRecord("t/0", "hf-generate", 10, 5.0)));
        Files.writeString(report, EXACTNESS);
        Path out = dir.resolve("out");

        SsdRun r = SsdRun.of("tables", "--results", greedy.toString(), "--results", peers.toString(), "--exactness", report.toString(),
                "--out", out.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        String table2 = Files.readString(out.resolve("table2.md"));
        assertThat(table2).contains("| greedy | baseline | 2 | 20 | 13.3 | 1.000x |", "**Table 2, peers.**",
                "| greedy | hf-generate | 1 | 10 | 2.0 | 20.0 | 50.0 | 10.00x | - | 25.00x | - |");
        assertThat(Files.readAllLines(out.resolve("peers.csv"))).hasSize(2);
        assertThat(out.resolve("peers.csv.provenance.json")).exists();
        assertThat(Files.readString(out.resolve("exactness.md"))).contains("| `greedy.jsonl` | baseline | fp32 | 1 | 10 | 9 | 1 | 0 | 0.000400 |");
        assertThat(r.out()).contains("**Exactness.**", "peers.csv", "exactness.md");

        r = SsdRun.of("tables", "--results", peers.toString(), "--out", dir.resolve("o2").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("ssd tables: only peers' runs").hasLineCount(1);
        Files.writeString(report, "{\"greedy\": []}");
        r = SsdRun.of("tables", "--results", greedy.toString(), "--exactness", report.toString(), "--out", dir.resolve("o3").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains(report + ": missing list top_k").hasLineCount(1);
        assertThat(dir.resolve("o3")).doesNotExist();
    }

    @Test
    void refusesWithoutABaselineOrAFile() throws Exception {
        Path f = dir.resolve("nobase.jsonl");
        Files.write(f, List.of(record("t/0", "baseline", 0, 10, 0.5, 100), record("t/0", "staged", 1, 10, 0.2, 100)));
        SsdRun r = SsdRun.of("tables", "--results", f.toString(), "--out", dir.resolve("o1").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("ssd tables: no baseline runs for top-k (k=50, T=1) on Test CPU, fp32").hasLineCount(1);
        assertThat(dir.resolve("o1")).doesNotExist();

        r = SsdRun.of("tables", "--results", dir.resolve("missing.jsonl").toString(), "--out", dir.resolve("o2").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains(dir.resolve("missing.jsonl") + ": no such file").hasLineCount(1);
    }
}

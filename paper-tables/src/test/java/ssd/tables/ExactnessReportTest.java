package ssd.tables;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The exactness table from a teacher_force.py report. The fixture is the shape of a real report (a CPU run on the mini
 * family, cut to three groups, one group's counts edited to hold ties); tools/peers/test_peers.py checks that the
 * script still writes exactly its fields.
 */
class ExactnessReportTest {
    @TempDir
    Path dir;

    private Path fixture() throws Exception {
        Path f = dir.resolve("exactness.json");
        try (InputStream in = getClass().getResourceAsStream("exactness-report.json")) {
            Files.copy(in, f);
        }
        Files.writeString(dir.resolve("exactness.json.provenance.json"), "{\"machine\":\"Test CPU\",\"date\":\"2026-12-04T17:00:00Z\",\"git_commit\":\"0123456789abcdef\"}");
        return f;
    }

    @Test
    void readsTheGroupsAndRendersThem() throws Exception {
        ExactnessReport r = ExactnessReport.read(fixture());
        assertThat(r.greedy()).extracting(ExactnessReport.Group::method).containsExactly("baseline", "hf-generate");
        ExactnessReport.Group peer = r.greedy().get(1);
        assertThat(peer.peer()).isTrue();
        assertThat(peer.dtype()).isEqualTo("fp16");
        assertThat(new long[]{peer.runs(), peer.tokens(), peer.first(), peer.second(), peer.third()}).containsExactly(2, 64, 62, 2, 0);
        assertThat(peer.largestTieGap()).isEqualTo(0.03125);
        assertThat(r.topK()).singleElement().satisfies(g -> {
            assertThat(g.sampling()).isEqualTo("top-k (k=50, T=1)");
            assertThat(new long[]{g.first(), g.second(), g.third()}).containsExactly(95, 1, 0);
        });
        assertThat(r.mismatches()).isZero();
        assertThat(r.outside()).isZero();
        String md = MarkdownTables.exactness(r);
        assertThat(md).contains("**Exactness.** Every generated token teacher-forced through transformers 5.17.0 GPT2LMHeadModel forward, fp32",
                "exactness.json` (2026-12-04, commit 0123456789ab)",
                "| `greedy.jsonl` | baseline | fp32 | 3 | 96 | 96 | 0 | 0 | - |",
                "| `peers-greedy.jsonl` | hf-generate | fp16 | 2 | 64 | 62 | 2 | 0 | 0.0313 |",
                "| `topk.jsonl` | baseline | top-k (k=50, T=1) | fp32 | 3 | 96 | 95 | 1 | 0 |",
                "Greedy: 0 mismatches beyond the tolerance in 5 runs. Top-k: 0 tokens outside the reference top-k set.");
    }

    @Test
    void aMalformedReportIsRefusedInOneLine() throws Exception {
        Path f = fixture();
        Files.writeString(f, Files.readString(f).replace("\"mismatch\": 0", "\"mismatch\": 0.5"));
        assertThatThrownBy(() -> ExactnessReport.read(f))
                .hasMessage(f + ": mismatch must be a count, got 0.5 (expected a report of tools/peers/teacher_force.py)");
        Files.writeString(f, "{\"greedy\": []}");
        assertThatThrownBy(() -> ExactnessReport.read(f)).hasMessage(f + ": missing list top_k (expected a report of tools/peers/teacher_force.py)");
        Files.writeString(f, "{");
        assertThatThrownBy(() -> ExactnessReport.read(f)).hasMessageStartingWith(f + ": not valid JSON (");
        assertThatThrownBy(() -> ExactnessReport.read(dir.resolve("absent.json"))).hasMessage(dir.resolve("absent.json") + ": no such file");
    }
}

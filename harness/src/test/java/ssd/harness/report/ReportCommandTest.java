package ssd.harness.report;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ssd.harness.SsdRun;
import ssd.tables.DecodeJsonl;
import ssd.tables.DecodeRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** `ssd report` on the committed fixtures: what it writes, and what the page holds. */
class ReportCommandTest {
    @TempDir
    static Path shared;
    static Path out;
    static SsdRun run;
    static Document page;

    @BeforeAll
    static void buildOnce() throws IOException {
        out = shared.resolve("report");
        Path peers = Files.writeString(shared.resolve("peers.json"), "{\"implementation\":\"transformers\",\"identical\":3,\"of\":3}");
        run = SsdRun.of(ReportFixtures.reportArgs(out, "--peer-exactness", peers.toString()));
        page = Jsoup.parse(out.resolve("index.html").toFile(), "UTF-8");
    }

    private static List<List<String>> rows(Element table) {
        return table.select("tr").stream().map(tr -> tr.children().stream().map(Element::text).toList()).toList();
    }

    @Test
    void writesThePageTheTablesAndEveryFigureAsFiles() throws IOException {
        assertThat(run.err()).isEmpty();
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("wrote " + out.resolve("index.html") + " from 27 runs", "3 charts as SVG and PNG, Figure 3 as PNG and text");
        for (String f : List.of("index.html", "index.html.provenance.json", "table1.md", "table2.md", "tables.csv", "tables.csv.provenance.json",
                "paper-comparison.md", "paper-comparison.csv", "figure1-roofline.svg", "figure1-roofline.png", "figure2a-greedy.svg",
                "figure2a-greedy.png", "figure2b-topk.svg", "figure2b-topk.png", "figure3-provenance.png"))
            assertThat(out.resolve(f)).as(f).isNotEmptyFile();
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".")); // no temporary files left
        }
        assertThat(Files.readString(out.resolve("index.html.provenance.json"))).contains("\"command\" : \"ssd", "\"git_commit\"");
    }

    @Test
    void thePageIsSelfContained() {
        assertThat(page.select("style").html()).contains("span.origin-ngram { background: #b8e6b0; }");
        assertThat(page.select("script, link, iframe, object, embed")).isEmpty();
        for (Element e : page.select("[src], [href]")) {
            String ref = e.hasAttr("src") ? e.attr("src") : e.attr("href");
            assertThat(ref).as(e.outerHtml()).doesNotContain(":", "//", "..").doesNotStartWith("/");
            if (!ref.startsWith("#")) assertThat(out.resolve(ref)).as(ref).isRegularFile();
            else assertThat(page.getElementById(ref.substring(1))).as(ref).isNotNull();
        }
        assertThat(page.select("img").eachAttr("src")).containsExactly("figure1-roofline.svg", "figure2a-greedy.svg", "figure2b-topk.svg",
                "figure3-provenance.png");
    }

    @Test
    void comparesEveryPaperCellPerSetup() {
        assertThat(page.select("#comparison h3").eachText()).containsExactly("Measured on AMD EPYC (2 cores), fp32", "Measured on NVIDIA H200, fp16");
        List<Element> tables = page.select("#comparison table.comparison");
        assertThat(tables).hasSize(4);
        List<List<String>> cpu1 = rows(tables.get(0)), cpu2 = rows(tables.get(1)), gpu2 = rows(tables.get(3));
        assertThat(cpu1.get(0)).containsExactly("comparison", "sampling", "paper", "predicted rtx4090 (paper)", "predicted rtx4090 (ours)", "measured");
        assertThat(cpu1).hasSize(5).extracting(r -> r.get(2)).containsExactly("paper", "illegible in our copy", "illegible in our copy",
                "illegible in our copy", "illegible in our copy");
        assertThat(cpu2).hasSize(9).extracting(r -> r.get(2)).containsExactly("paper", "3.16x", "1.98x", "1.36x", "1.36x",
                "~2.32x (derived: 3.16 / 1.36)", "~1.46x (derived: 1.98 / 1.36)", "~150.0 tokens/s", "not reported");
        // every run has a trace, so every predicted and measured cell of the CPU setup has a value
        for (List<String> r : cpu2.subList(1, cpu2.size())) assertThat(r.subList(3, 6)).allMatch(v -> v.matches("[0-9.]+(x| tokens/s)"));
        // the H200 fixture is greedy only: its top-k cells say why they are empty
        assertThat(gpu2.get(2)).containsExactly("staged vs baseline", "top-k (k=50, T=1)", "1.98x", "- (no staged prediction)",
                "- (no staged prediction)", "- (no staged runs)");
        assertThat(page.select("#comparison li").eachText()).anyMatch(t -> t.startsWith("predicted rtx4090 (paper): the paper's eager PyTorch"));
    }

    @Test
    void ourTablesExactnessFigure3AndThePeersPlace() throws IOException {
        assertThat(rows(page.getElementById("table2")).get(0)).startsWith("device, dtype", "sampling", "method", "prompts");
        List<List<String>> exact = rows(page.getElementById("greedy-exactness"));
        assertThat(exact).contains(
                List.of("AMD EPYC (2 cores), fp32", "speculative", "3", "3", "0", "0", "0", "0", "0", "exact"),
                List.of("NVIDIA H200, fp16", "speculative", "3", "2", "1", "0", "0", "0", "0", "exact up to rounding"),
                List.of("NVIDIA H200, fp16", "staged", "3", "1", "1", "1", "0", "0", "0", "exact up to rounding"));

        // Figure 3 as text: the chosen staged run's completion, one span per token, newlines marked
        String caption = page.select("#figure3 figcaption").text();
        String task = caption.replaceFirst("^Figure 3: (HumanEval/\\d+), staged, .*$", "$1");
        List<DecodeRun> runs = Stream.of(ReportFixtures.CPU_GREEDY, ReportFixtures.CPU_TOPK, ReportFixtures.H200_GREEDY)
                .flatMap(f -> DecodeJsonl.read(f).stream()).toList();
        DecodeRun shown = runs.stream().filter(r -> r.method().equals("staged") && r.taskId().equals(task)
                && caption.contains(r.device() + " " + r.dtype())).findFirst().orElseThrow();
        Element pre = page.selectFirst("#figure3 pre.tokens");
        assertThat(pre.children()).hasSize(shown.tokenCount());
        assertThat(pre.select("span.nl").remove().size()).isEqualTo((int) shown.text().chars().filter(ch -> ch == '\n').count());
        assertThat(pre.wholeText()).isEqualTo(shown.text());
        assertThat(pre.children().eachAttr("title")).containsOnly("n-gram", "draft", "oracle");

        Element peers = page.getElementById(ReportPage.PEERS_ID);
        assertThat(peers.select("pre.json").text()).contains("\"implementation\" : \"transformers\"");
    }

    @Test
    void namesEveryInputWithItsChecksumAndProvenance() throws Exception {
        List<String> files = page.select("#provenance h3").eachText();
        assertThat(files).hasSize(5).contains(ReportFixtures.CPU_GREEDY.toString(), ReportFixtures.FORWARD.toString());
        String text = page.getElementById("provenance").text();
        byte[] sha = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(ReportFixtures.H200_GREEDY));
        assertThat(text).contains(HexFormat.of().formatHex(sha), "NVIDIA H200", "ssd bench-decode --model", "cross-implementation exactness",
                "no peers.json.provenance.json beside it");
    }

    @Test
    void refusesConflictingOrBadInputWithOneLine(@TempDir Path dir) throws IOException {
        SsdRun both = SsdRun.of(ReportFixtures.reportArgs(dir.resolve("a"), "--profile", "paper=rtx4090", "--predictions", "p.json"));
        assertThat(both.exit()).isEqualTo(1);
        assertThat(both.err().strip()).isEqualTo("ssd report: --predictions and --profile both choose the predicted columns: give one");
        SsdRun badProfile = SsdRun.of(ReportFixtures.reportArgs(dir.resolve("b"), "--profile", "paper"));
        assertThat(badProfile.err().strip()).isEqualTo("ssd report: --profile 'paper': expected " + ImplementationProfiles.FORM);
        SsdRun unknown = SsdRun.of(ReportFixtures.reportArgs(dir.resolve("c"), "--profile", "x=rtx9090"));
        assertThat(unknown.err().strip()).startsWith("ssd report: --profile 'x=rtx9090': unknown device 'rtx9090'");
        Path notJson = Files.writeString(dir.resolve("peers.json"), "{\"identical\": ");
        SsdRun peers = SsdRun.of(ReportFixtures.reportArgs(dir.resolve("d"), "--peer-exactness", notJson.toString()));
        assertThat(peers.err().strip()).startsWith("ssd report: --peer-exactness " + notJson + ": not valid JSON (");
        for (String sub : List.of("a", "b", "c", "d")) assertThat(dir.resolve(sub)).doesNotExist(); // nothing written
    }
}

package ssd.figures;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ssd.roofline.device.Roofline;
import ssd.tables.DecodeRun;
import ssd.tables.Origin;
import ssd.tables.Peer;
import ssd.tables.RunStats;
import ssd.tables.Sampling;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class FiguresTest {
    private static final Sampling GREEDY = new Sampling(0, 0), TOPK = new Sampling(1, 50);

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final RunStats STATS = new RunStats(1, 1.0, 100, 90, 10);

    /** A run as the tables' reader returns it: {@code seconds} disagrees with {@code tps} to show the figures use the latter. */
    private static DecodeRun run(String task, String method, Sampling s, double tps) {
        return new DecodeRun(task, method, "dev", "fp32", s, new int[]{1, 2}, List.of(Origin.ORACLE, Origin.DRAFT), "ab", 1.0, tps, STATS);
    }

    private static BufferedImage readPng(Path f) throws IOException {
        assertThat(f).isRegularFile();
        assertThat(f.resolveSibling("." + f.getFileName() + ".tmp")).doesNotExist();
        BufferedImage img = ImageIO.read(f.toFile());
        assertThat(img).isNotNull();
        return img;
    }

    @Test
    void rooflineFromCsv(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("bench.csv");
        Files.writeString(csv, String.join("\n",
                String.join(",", ForwardCsv.COLUMNS),
                "\"NVIDIA H100\",fp16,2,64,2,100,64,128,1,2.0,1000000,3000000000000",
                "\"NVIDIA H100 [cuda-graph]\",fp16,2,64,2,100,64,128,8,4.0,1000000,1000000000000",
                "\"NVIDIA H100\",fp16,2,64,2,100,64,128,8,5.0,1000000,2000000000000", ""));
        List<ForwardPoint> points = ForwardCsv.read(csv);
        assertThat(points).hasSize(3);
        ForwardPoint p = points.get(1);
        assertThat(p.device()).isEqualTo("NVIDIA H100 [cuda-graph]");
        assertThat(p.hardware()).isEqualTo("NVIDIA H100");
        assertThat(p.parameters()).isEqualTo(500_000);
        assertThat(p.flops()).isEqualTo(8_000_000);          // 2 * 500k * 8
        assertThat(p.intensity()).isEqualTo(8);               // fp16: new tokens
        assertThat(p.achievedFlopsPerSecond()).isCloseTo(2e9, within(1.0)); // 8e6 / 0.004 s

        Map<String, Roofline> roof = PeakTflops.parse(List.of()).rooflines(points);
        assertThat(roof).containsOnlyKeys("NVIDIA H100");
        assertThat(roof.get("NVIDIA H100").bandwidthBytesPerS()).isEqualTo(2e12); // median of 3, 1, 2 TB/s
        assertThat(roof.get("NVIDIA H100").peakFlopsPerS()).isEqualTo(989.4e12);
        assertThat(PeakTflops.parse(List.of("100")).rooflines(points).get("NVIDIA H100").attainable(1e6)).isEqualTo(100e12);

        Path png = dir.resolve("out/figure1.png");
        Png.write(RooflineFigure.build(points, roof), png);
        BufferedImage img = readPng(png);
        assertThat(img.getWidth()).isEqualTo(RooflineFigure.WIDTH);
        assertThat(img.getHeight()).isEqualTo(RooflineFigure.HEIGHT);
    }

    @Test
    void otherDevicesNeedAPeakAndBadRowsAreNamed(@TempDir Path dir) throws IOException {
        ForwardPoint cpu = new ForwardPoint("AMD EPYC", "fp32", "2L d64", 1, 1, 400, 1e9);
        assertThat(cpu.intensity()).isEqualTo(0.5);
        assertThatThrownBy(() -> PeakTflops.parse(List.of()).rooflines(List.of(cpu))).hasMessageContaining("AMD EPYC").hasMessageContaining("--peak-tflops");
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, String.join(",", ForwardCsv.COLUMNS) + "\nx,fp8,2,64,2,100,64,128,1,2.0,1000,1\n");
        assertThatThrownBy(() -> ForwardCsv.read(bad)).hasMessageContaining("bad.csv line 2").hasMessageContaining("fp8");
        assertThatThrownBy(() -> ForwardCsv.read(dir.resolve("missing.csv"))).hasMessageContaining("no such file");
    }

    @Test
    void speedupsAreSortedByStagedAndExact(@TempDir Path dir) throws IOException {
        List<DecodeRun> runs = List.of(
                run("a", "baseline", GREEDY, 100), run("a", "speculative", GREEDY, 150), run("a", "staged", GREEDY, 300),
                run("b", "baseline", GREEDY, 200), run("b", "speculative", GREEDY, 100), run("b", "staged", GREEDY, 100),
                run("c", "baseline", GREEDY, 50), run("c", "staged", GREEDY, 100),
                run("d", "staged", GREEDY, 100), // no baseline: left out
                run("a", "baseline", TOPK, 100), run("a", "staged", TOPK, 80));
        Map<Sampling, Map<String, List<PromptSpeedup>>> s = Speedups.of(runs);
        assertThat(s).containsOnlyKeys(GREEDY, TOPK);
        List<PromptSpeedup> greedy = s.get(GREEDY).get("dev fp32");
        assertThat(greedy).extracting(PromptSpeedup::taskId).containsExactly("b", "c", "a");
        assertThat(greedy).extracting(PromptSpeedup::staged).containsExactly(0.5, 2.0, 3.0);
        assertThat(greedy.get(0).speculative()).isEqualTo(0.5);
        assertThat(greedy.get(1).speculative()).isNaN();
        assertThat(greedy.get(2).speculative()).isEqualTo(1.5);
        assertThat(s.get(TOPK).get("dev fp32")).containsExactly(new PromptSpeedup("a", 0.8, Double.NaN));

        assertThat(StagedRunChoice.choose(runs, null).orElseThrow().taskId()).isEqualTo("a");
        assertThat(StagedRunChoice.choose(runs, null).orElseThrow().sampling()).isEqualTo(GREEDY);
        assertThat(StagedRunChoice.choose(runs, "c").orElseThrow().tokensPerSecond()).isEqualTo(100);
        assertThatThrownBy(() -> StagedRunChoice.choose(runs, "zz")).hasMessageContaining("zz");

        Path png = dir.resolve("figure2a.png");
        Png.write(SpeedupFigure.build("Figure 2a", s.get(GREEDY)), png);
        BufferedImage img = readPng(png);
        assertThat(img.getWidth()).isEqualTo(SpeedupFigure.WIDTH);
        assertThat(img.getHeight()).isEqualTo(SpeedupFigure.HEIGHT);
    }

    @Test
    void peersAreComparedWithTheBaselineOnThePromptsTheyDecoded(@TempDir Path dir) throws IOException {
        Peer transformers = new Peer("transformers 5.17.0", -1, Double.NaN);
        List<DecodeRun> runs = List.of(run("a", "baseline", GREEDY, 100), run("a", "staged", GREEDY, 300),
                run("b", "baseline", GREEDY, 100), run("b", "staged", GREEDY, 200),
                new DecodeRun("a", "hf-generate", "dev", "fp32", GREEDY, new int[]{1, 2}, List.of(), null, 1.0, 5, null, transformers));
        List<PromptSpeedup> greedy = Speedups.of(runs).get(GREEDY).get("dev fp32");
        assertThat(greedy).extracting(PromptSpeedup::taskId).containsExactly("b", "a");
        assertThat(greedy.get(0).peers()).isEmpty();
        assertThat(greedy.get(1).peers()).containsExactly(Map.entry("hf-generate", 0.05));
        assertThat(SpeedupFigure.build("Figure 2a", Map.of("dev fp32", greedy)).getSeriesMap()).containsKeys("staged", "hf-generate");
        assertThat(SpeedupFigure.build("Figure 2a", Map.of("dev fp32", greedy)).getStyler().isYAxisLogarithmic()).isTrue();
        List<PromptSpeedup> ours = Speedups.of(runs.subList(0, 4)).get(GREEDY).get("dev fp32");
        assertThat(SpeedupFigure.build("Figure 2a", Map.of("dev fp32", ours)).getStyler().isYAxisLogarithmic()).isFalse();
        Path png = dir.resolve("figure2a.png");
        Png.write(SpeedupFigure.build("Figure 2a", Map.of("dev fp32", greedy)), png);
        assertThat(readPng(png).getWidth()).isEqualTo(SpeedupFigure.WIDTH);
    }

    @Test
    void labelsNameTheSetupAndSamplingModeTheFiguresWay() {
        assertThat(FigureLabels.setup(run("a", "staged", GREEDY, 1))).isEqualTo("dev fp32");
        assertThat(FigureLabels.sampling(GREEDY)).isEqualTo("greedy");
        assertThat(FigureLabels.sampling(TOPK)).isEqualTo("top-k 50, T=1.0");
    }

    @Test
    void tokenPiecesKeepSplitCharactersWhole() {
        byte[] e = "é".getBytes(StandardCharsets.UTF_8); // two bytes, one per token
        Map<Integer, byte[]> vocab = Map.of(1, "a ".getBytes(StandardCharsets.UTF_8), 2, new byte[]{e[0]}, 3, new byte[]{e[1]}, 4, "\n".getBytes(StandardCharsets.UTF_8));
        DecodeRun r = new DecodeRun("t", "staged", "d", "fp16", GREEDY, new int[]{1, 2, 3, 4},
                List.of(Origin.NGRAM, Origin.DRAFT, Origin.ORACLE, Origin.NGRAM), "a é\n", 1, 4, STATS);
        List<TokenPiece> pieces = TokenPieces.of(r, vocab::get);
        assertThat(pieces).extracting(TokenPiece::text).containsExactly("a ", "", "é", "\n");
        assertThat(TokenPieces.text(pieces)).isEqualTo(r.text());
    }

    @Test
    void provenanceTokensAreDrawnOnTheirOriginsColour(@TempDir Path dir) throws IOException {
        List<TokenPiece> pieces = List.of(new TokenPiece("def", Origin.ORACLE), new TokenPiece(" f", Origin.DRAFT),
                new TokenPiece("():\n", Origin.NGRAM), new TokenPiece("\treturn", Origin.ORACLE),
                new TokenPiece(String.join("", Collections.nCopies(300, "x")), Origin.DRAFT)); // wraps
        ProvenanceFigure.Rendered r = ProvenanceFigure.render(pieces, "Figure 3 test");
        Path png = dir.resolve("figure3.png");
        Png.write(r.image(), png);
        BufferedImage img = readPng(png);
        assertThat(img.getWidth()).isEqualTo(ProvenanceFigure.WIDTH);
        assertThat(img.getHeight()).isEqualTo(r.image().getHeight());
        assertThat(r.cells().get(0)).hasSize(3);
        assertThat(r.cells().get(3).get(0).y).isGreaterThan(r.cells().get(0).get(0).y); // after the newline
        List<Rectangle> wrapped = r.cells().get(4);
        assertThat(wrapped.get(wrapped.size() - 1).y).isGreaterThan(wrapped.get(0).y);
        for (int i = 0; i < pieces.size(); i++) {
            Rectangle cell = r.cells().get(i).get(r.cells().get(i).size() - 1); // the last cell: no seam at its left edge
            Color c = new Color(img.getRGB(cell.x + cell.width - 2, cell.y + 1));
            assertThat(c).as("piece %d", i).isEqualTo(OriginStyle.colour(pieces.get(i).origin()));
        }
    }
}

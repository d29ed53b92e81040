package ssd.figures;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import ssd.tables.Origin;
import ssd.tables.Sampling;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The report's figure files: each chart as a PNG and an SVG of the same size, under the names `ssd figures` uses. */
class FigureFilesTest {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static void assertSvgOfSize(Path svg, int width, int height) throws Exception {
        assertThat(svg).isRegularFile();
        DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
        xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false); // SVG 1.1's DOCTYPE names a DTD on the web
        Element root = xml.newDocumentBuilder().parse(svg.toFile()).getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("svg");
        assertThat(Double.parseDouble(root.getAttribute("width").replaceAll("[a-z]+$", ""))).isEqualTo(width);
        assertThat(Double.parseDouble(root.getAttribute("height").replaceAll("[a-z]+$", ""))).isEqualTo(height);
        // XChart draws text as glyph outlines: the chart is paths only, and refers to nothing outside the file
        assertThat(Files.readString(svg)).contains("<path").doesNotContain("href=\"http", "<image");
    }

    private static BufferedImage png(Path f) throws IOException {
        BufferedImage img = ImageIO.read(f.toFile());
        assertThat(img).as(f.toString()).isNotNull();
        return img;
    }

    @Test
    void speedupChartsAsPngAndSvgPerSamplingMode(@TempDir Path dir) throws Exception {
        Map<Sampling, Map<String, List<PromptSpeedup>>> speedups = new LinkedHashMap<>();
        speedups.put(new Sampling(0, 0), Map.of("dev fp16", List.of(new PromptSpeedup("t/0", 1.5, 1.2), new PromptSpeedup("t/1", 2.5, 1.4))));
        speedups.put(new Sampling(1, 50), Map.of("dev fp16", List.of(new PromptSpeedup("t/0", 1.1, Double.NaN))));
        List<FigureFile> files = FigureFiles.speedups(speedups, dir);
        assertThat(files).extracting(FigureFile::title).containsExactly("Figure 2a: relative throughput per prompt (greedy)",
                "Figure 2b: relative throughput per prompt (top-k 50, T=1.0)");
        assertThat(files).extracting(f -> f.png().getFileName().toString()).containsExactly("figure2a-greedy.png", "figure2b-topk.png");
        for (FigureFile f : files) {
            assertThat(png(f.png()).getWidth()).isEqualTo(SpeedupFigure.WIDTH);
            assertThat(f.svg().getFileName().toString()).isEqualTo(f.png().getFileName().toString().replace(".png", ".svg"));
            assertSvgOfSize(f.svg(), SpeedupFigure.WIDTH, SpeedupFigure.HEIGHT);
        }
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".")); // no temporary files left
        }
    }

    @Test
    void rooflineAsPngAndSvgAndProvenanceAsPng(@TempDir Path dir) throws Exception {
        List<ForwardPoint> points = List.of(new ForwardPoint("NVIDIA H200", "fp16", "2L d64", 1, 1.0, 1_000_000, 4e12),
                new ForwardPoint("NVIDIA H200", "fp16", "2L d64", 32, 2.0, 1_000_000, 4e12));
        FigureFile roofline = FigureFiles.roofline(points, PeakTflops.parse(List.of()).rooflines(points), dir);
        assertThat(roofline.png()).hasFileName("figure1-roofline.png");
        assertThat(png(roofline.png()).getHeight()).isEqualTo(RooflineFigure.HEIGHT);
        assertSvgOfSize(roofline.svg(), RooflineFigure.WIDTH, RooflineFigure.HEIGHT);

        FigureFile provenance = FigureFiles.provenance(List.of(new TokenPiece("def", Origin.ORACLE), new TokenPiece(" f", Origin.NGRAM)), "Figure 3: t", dir);
        assertThat(provenance.svg()).isNull();
        assertThat(png(provenance.png()).getWidth()).isEqualTo(ProvenanceFigure.WIDTH);
    }

    @Test
    void originColoursAsCss() {
        assertThat(OriginStyle.cssColour(Origin.NGRAM)).isEqualTo("#b8e6b0");
        assertThat(OriginStyle.cssColour(Origin.DRAFT)).isEqualTo("#a9cbf2");
        assertThat(OriginStyle.cssColour(Origin.ORACLE)).isEqualTo("#f6b2a8");
    }
}

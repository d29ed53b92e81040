package ssd.harness.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jsoup.Jsoup;
import org.jsoup.nodes.DataNode;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ssd.harness.SsdRun;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report in a real browser (headless Chromium): the page loads without console messages, every figure loads and
 * has a size, and a screenshot renders. Skipped, saying so, only where Chromium is not installed.
 */
class ReportBrowserTest {
    /**
     * Put first in a copy of the page: records every resource that fails to load, and after the load event writes each
     * image's state (complete, natural size) into the root element, which --dump-dom prints.
     */
    private static final String PROBE = """
            var failed = [];
            window.addEventListener('error', function (e) { failed.push(e.target && e.target.src ? e.target.src : String(e.message)); }, true);
            window.addEventListener('load', function () {
              var images = [];
              document.querySelectorAll('img').forEach(function (i) {
                images.push({src: i.getAttribute('src'), complete: i.complete, width: i.naturalWidth, height: i.naturalHeight});
              });
              document.documentElement.setAttribute('data-probe', JSON.stringify({images: images, failed: failed}));
            });
            """;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void everyFigureLoadsWithoutConsoleMessagesAndThePageRenders(@TempDir Path dir) throws Exception {
        HeadlessChromium chromium = HeadlessChromium.find().orElse(null);
        Assumptions.assumeTrue(chromium != null, "chromium is not installed (apt-get install -y chromium; .ci/run installs it): "
                + "the report's browser test is skipped");
        Path out = dir.resolve("report");
        SsdRun run = SsdRun.of(ReportFixtures.reportArgs(out));
        assertThat(run.exit()).as(run.err()).isZero();
        Path index = out.resolve("index.html");

        Document probe = Jsoup.parse(index.toFile(), "UTF-8");
        int images = probe.select("img").size();
        assertThat(images).isEqualTo(4);
        probe.head().prependElement("script").appendChild(new DataNode(PROBE));
        Path probePage = out.resolve("probe.html"); // beside index.html, so relative links resolve the same way
        Files.writeString(probePage, probe.outerHtml(), StandardCharsets.UTF_8);
        HeadlessChromium.Result dom = chromium.run(probePage, dir.resolve("profile-dom"), "--virtual-time-budget=10000", "--dump-dom");
        assertThat(dom.exit()).as(dom.stderr()).isZero();
        Element root = Jsoup.parse(dom.stdout()).selectFirst("html");
        assertThat(root.hasAttr("data-probe")).as("the probe ran: " + dom.stdout().lines().limit(3).toList()).isTrue();
        JsonNode state = new ObjectMapper().readTree(root.attr("data-probe"));
        assertThat(state.get("failed")).as("resources that failed to load").isEmpty();
        assertThat(state.get("images")).hasSize(images);
        for (JsonNode img : state.get("images")) {
            assertThat(img.get("complete").asBoolean()).as(img.toString()).isTrue();
            assertThat(img.get("width").asInt()).as(img.toString()).isGreaterThanOrEqualTo(1000);
            assertThat(img.get("height").asInt()).as(img.toString()).isGreaterThan(100);
        }
        assertThat(dom.consoleLines()).as("console messages of the probe page").isEmpty();

        Path shot = dir.resolve("screenshot.png");
        HeadlessChromium.Result screenshot = chromium.run(index, dir.resolve("profile-shot"), "--window-size=1280,3000", "--screenshot=" + shot);
        assertThat(screenshot.exit()).as(screenshot.stderr()).isZero();
        assertThat(screenshot.consoleLines()).as("console messages of index.html").isEmpty();
        BufferedImage img = ImageIO.read(shot.toFile());
        assertThat(img.getWidth()).isEqualTo(1280);
        assertThat(img.getHeight()).isEqualTo(3000);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 7) for (int x = 0; x < img.getWidth(); x += 7) colours.add(img.getRGB(x, y));
        assertThat(colours.size()).as("distinct colours in the screenshot (a blank page has one)").isGreaterThan(50);
    }
}

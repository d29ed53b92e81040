package ssd.figures;

import org.knowm.xchart.XYChart;
import ssd.roofline.device.Roofline;
import ssd.tables.Sampling;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Figures 1-3 written as files for the report: the charts as PNG and SVG, Figure 3 as PNG (the report also shows it
 * as text). Plain types in, paths out, so callers outside this module never name an XChart type (see
 * {@link RooflineFigure#write}). File names are those {@code ssd figures} uses.
 */
public final class FigureFiles {
    private FigureFiles() {
    }

    /** Figure 1: figure1-roofline.png and .svg. */
    public static FigureFile roofline(List<ForwardPoint> points, Map<String, Roofline> rooflines, Path dir) {
        return chart("Figure 1: roofline", RooflineFigure.build(points, rooflines), dir, "figure1-roofline");
    }

    /** Figure 2, one chart per sampling mode: figure2a-greedy, figure2b-topk (figure2b-topkK-tT when several top-k modes). */
    public static List<FigureFile> speedups(Map<Sampling, Map<String, List<PromptSpeedup>>> speedups, Path dir) {
        long topkModes = speedups.keySet().stream().filter(s -> !s.greedy()).count();
        List<FigureFile> out = new ArrayList<>();
        for (Map.Entry<Sampling, Map<String, List<PromptSpeedup>>> e : speedups.entrySet()) {
            Sampling s = e.getKey();
            String name = s.greedy() ? "figure2a-greedy"
                    : topkModes == 1 ? "figure2b-topk"
                    : String.format(Locale.ROOT, "figure2b-topk%d-t%s", s.topK(), s.temperature());
            String title = "Figure 2" + (s.greedy() ? "a" : "b") + ": relative throughput per prompt (" + FigureLabels.sampling(s) + ")";
            out.add(chart(title, SpeedupFigure.build(title, e.getValue()), dir, name));
        }
        return out;
    }

    /** Figure 3: figure3-provenance.png. */
    public static FigureFile provenance(List<TokenPiece> pieces, String title, Path dir) {
        Path png = dir.resolve("figure3-provenance.png");
        ProvenanceFigure.write(pieces, title, png);
        return new FigureFile(title, png, null);
    }

    private static FigureFile chart(String title, XYChart chart, Path dir, String name) {
        Path png = dir.resolve(name + ".png"), svg = dir.resolve(name + ".svg");
        Png.write(chart, png);
        Svg.write(chart, svg);
        return new FigureFile(title, png, svg);
    }
}

package ssd.figures;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Figure 2: per-prompt relative throughput (method tokens/s / baseline tokens/s), prompts sorted by staged speedup,
 * staged and speculative series per setup, and a line at 1 (the baseline). Peers (stock transformers decoding) are
 * drawn as further series on the prompts they decoded; with peers the y axis is logarithmic, since they run far below
 * the baseline.
 */
public final class SpeedupFigure {
    public static final int WIDTH = 1000, HEIGHT = 600;
    private static final Color[] PEER_COLOURS = {new Color(0x33, 0x33, 0x33), new Color(0x8c, 0x56, 0x4b), new Color(0x17, 0xbe, 0xcf),
            new Color(0x7f, 0x7f, 0x00), new Color(0xe3, 0x77, 0xc2)};

    private SpeedupFigure() {
    }

    /** @param bySetup the prompts of one sampling mode, per setup, as {@link Speedups#of} sorts them */
    /** Builds the chart and writes it as a PNG (see {@link RooflineFigure#write} for why callers use this). */
    public static void write(String title, Map<String, List<PromptSpeedup>> bySetup, Path file) {
        Png.write(build(title, bySetup), file);
    }

    public static XYChart build(String title, Map<String, List<PromptSpeedup>> bySetup) {
        if (bySetup.isEmpty()) throw new IllegalArgumentException("no prompts with a baseline to compare with");
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("prompt (sorted by staged speedup)").yAxisTitle("throughput relative to baseline").build();
        Styler s = chart.getStyler();
        s.setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setXAxisDecimalPattern("#").setYAxisDecimalPattern("0.00");
        boolean withPeers = bySetup.values().stream().flatMap(List::stream).anyMatch(p -> !p.peers().isEmpty());
        if (withPeers) chart.getStyler().setYAxisLogarithmic(true).setYAxisLogarithmicDecadeOnly(false).setYAxisDecimalPattern("0.0##");
        int n = bySetup.values().stream().mapToInt(List::size).max().orElse(1);
        XYSeries one = chart.addSeries("baseline (1x)", new double[]{0.5, n + 0.5}, new double[]{1, 1});
        one.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        one.setMarker(SeriesMarkers.NONE);
        one.setLineColor(Color.GRAY);
        one.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[]{6, 4}, 0));
        boolean several = bySetup.size() > 1;
        bySetup.forEach((setup, prompts) -> {
            add(chart, several ? "staged, " + setup : "staged", prompts, PromptSpeedup::staged);
            add(chart, several ? "speculative, " + setup : "speculative", prompts, PromptSpeedup::speculative);
            List<String> peers = prompts.stream().flatMap(p -> p.peers().keySet().stream()).distinct().toList();
            for (int i = 0; i < peers.size(); i++) {
                String peer = peers.get(i);
                XYSeries series = add(chart, several ? peer + ", " + setup : peer, prompts, p -> p.peers().getOrDefault(peer, Double.NaN));
                if (series == null) continue;
                // peers dashed, with their own colours, so that they read apart from our methods
                series.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[]{5, 3}, 0));
                series.setLineColor(PEER_COLOURS[i % PEER_COLOURS.length]);
                series.setMarkerColor(PEER_COLOURS[i % PEER_COLOURS.length]);
                series.setMarker(SeriesMarkers.DIAMOND);
            }
        });
        return chart;
    }

    /** Returns the series added, or null when the method has no prompt here. */
    private static XYSeries add(XYChart chart, String name, List<PromptSpeedup> prompts, ToDoubleFunction<PromptSpeedup> speedup) {
        double[] x = new double[prompts.size()], y = new double[prompts.size()];
        int k = 0;
        for (int i = 0; i < prompts.size(); i++) {
            double v = speedup.applyAsDouble(prompts.get(i));
            if (Double.isNaN(v)) continue;
            x[k] = i + 1;
            y[k++] = v;
        }
        if (k == 0) return null;
        XYSeries series = chart.addSeries(name, java.util.Arrays.copyOf(x, k), java.util.Arrays.copyOf(y, k));
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        series.setMarker(SeriesMarkers.CIRCLE);
        return series;
    }
}

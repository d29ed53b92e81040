package ssd.figures;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import ssd.roofline.device.Roofline;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Figure 1: achieved GFLOP/s against arithmetic intensity (log-log), one roofline per device and one point per
 * measured forward, a series per device label (mode tag included).
 */
public final class RooflineFigure {
    public static final int WIDTH = 1000, HEIGHT = 700;
    public static final String NOTE = "FLOPs ~ 2 x parameters x new tokens, parameters = weight bytes / bytes per element";

    private RooflineFigure() {
    }

    /**
     * Builds the chart and writes it as a PNG. Callers outside this module use this rather than {@link #build}, so
     * their bytecode never names an XChart type (the GPU bundle leaves XChart out; a harness class whose methods
     * pass XChart types would fail to load there).
     */
    public static void write(List<ForwardPoint> points, Map<String, Roofline> rooflines, Path file) {
        write(points, rooflines, List.of(), file);
    }

    /** With Nsight Compute's measured intensities: each matched forward also drawn at its measured intensity. */
    public static void write(List<ForwardPoint> points, Map<String, Roofline> rooflines, List<MeasuredIntensity> measured, Path file) {
        Png.write(build(points, rooflines, measured), file);
    }

    public static XYChart build(List<ForwardPoint> points, Map<String, Roofline> rooflines) {
        return build(points, rooflines, List.of());
    }

    /**
     * Measured points: x the intensity Nsight Compute measured (the simulator's FLOPs over the DRAM bytes counted), y those
     * FLOPs over the bench-forward time; one series per predicted series, marked with diamonds.
     */
    public static XYChart build(List<ForwardPoint> points, Map<String, Roofline> rooflines, List<MeasuredIntensity> measured) {
        if (points.isEmpty()) throw new IllegalArgumentException("no forwards to plot");
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Figure 1: roofline (" + NOTE + ")")
                .xAxisTitle("arithmetic intensity (FLOP per byte of weights streamed)")
                .yAxisTitle("achieved GFLOP/s").build();
        Styler s = chart.getStyler();
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        s.setLegendPosition(Styler.LegendPosition.InsideSE);
        s.setChartTitleFont(s.getChartTitleFont().deriveFont(13f));

        Map<String, List<double[]>> matched = new LinkedHashMap<>();
        for (ForwardPoint p : points) {
            for (MeasuredIntensity m : measured) {
                if (m.matches(p)) matched.computeIfAbsent(p.seriesLabel() + " measured (Nsight DRAM bytes)", k -> new java.util.ArrayList<>())
                        .add(new double[]{m.intensity(), m.flops() / (p.msPerForward() / 1000) / 1e9});
            }
        }
        double lo = points.stream().mapToDouble(ForwardPoint::intensity).min().orElseThrow() / 2;
        double hi = points.stream().mapToDouble(ForwardPoint::intensity).max().orElseThrow() * 2;
        for (List<double[]> l : matched.values()) for (double[] xy : l) {
            lo = Math.min(lo, xy[0] / 2);
            hi = Math.max(hi, xy[0] * 2);
        }
        for (Roofline r : rooflines.values()) hi = Math.max(hi, r.ridge() * 4);
        for (Roofline r : rooflines.values()) {
            double[] x = r.ridge() > lo ? new double[]{lo, r.ridge(), hi} : new double[]{lo, hi};
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) y[i] = r.attainable(x[i]) / 1e9;
            String name = String.format(Locale.ROOT, "roofline %s (%.0f GB/s copy, %s TFLOP/s peak)", r.hardware(),
                    r.bandwidthBytesPerS() / 1e9, r.peakTflopsText());
            XYSeries line = chart.addSeries(name, x, y);
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            line.setMarker(SeriesMarkers.NONE);
        }
        Map<String, List<ForwardPoint>> byDevice = new LinkedHashMap<>();
        for (ForwardPoint p : points) byDevice.computeIfAbsent(p.seriesLabel(), d -> new java.util.ArrayList<>()).add(p);
        for (Map.Entry<String, List<ForwardPoint>> e : byDevice.entrySet()) {
            double[] x = e.getValue().stream().mapToDouble(ForwardPoint::intensity).toArray();
            double[] y = e.getValue().stream().mapToDouble(p -> p.achievedFlopsPerSecond() / 1e9).toArray();
            XYSeries series = chart.addSeries(e.getKey(), x, y);
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            series.setMarker(SeriesMarkers.CIRCLE);
        }
        for (Map.Entry<String, List<double[]>> e : matched.entrySet()) {
            XYSeries series = chart.addSeries(e.getKey(), e.getValue().stream().mapToDouble(xy -> xy[0]).toArray(),
                    e.getValue().stream().mapToDouble(xy -> xy[1]).toArray());
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            series.setMarker(SeriesMarkers.DIAMOND);
        }
        return chart;
    }
}

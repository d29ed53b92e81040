package ssd.figures;

import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import ssd.common.AtomicFiles;

import java.nio.file.Path;

/** Writes SVGs through {@link AtomicFiles}, so a figure is either complete or absent. */
public final class Svg {
    private Svg() {
    }

    /** An XChart chart, drawn by XChart's {@link VectorGraphicsEncoder} (VectorGraphics2D). */
    public static void write(Chart<?, ?> chart, Path file) {
        AtomicFiles.write(file, out -> VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG));
    }
}

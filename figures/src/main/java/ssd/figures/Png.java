package ssd.figures;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import ssd.common.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.image.RenderedImage;
import java.io.IOException;
import java.nio.file.Path;

/** Writes PNGs through {@link AtomicFiles} (a temporary sibling file, then a rename), so a figure is either complete or absent. */
public final class Png {
    private Png() {
    }

    /** An XChart chart, encoded by XChart's {@link BitmapEncoder}. */
    public static void write(Chart<?, ?> chart, Path file) {
        AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }

    /** An image drawn with Java2D. */
    public static void write(RenderedImage image, Path file) {
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) throw new IOException("no PNG writer available");
        });
    }
}

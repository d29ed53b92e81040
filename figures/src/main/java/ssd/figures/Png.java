package ssd.figures;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

import javax.imageio.ImageIO;
import java.awt.image.RenderedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes PNGs to a temporary sibling file and renames it, so a figure is either complete or absent. */
public final class Png {
    private Png() {
    }

    private interface Encoder {
        void encode(OutputStream out) throws IOException;
    }

    /** An XChart chart, encoded by XChart's {@link BitmapEncoder}. */
    public static void write(Chart<?, ?> chart, Path file) throws IOException {
        atomically(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }

    /** An image drawn with Java2D. */
    public static void write(RenderedImage image, Path file) throws IOException {
        atomically(file, out -> {
            if (!ImageIO.write(image, "png", out)) throw new IOException("no PNG writer available");
        });
    }

    private static void atomically(Path file, Encoder encoder) throws IOException {
        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                encoder.encode(out);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}

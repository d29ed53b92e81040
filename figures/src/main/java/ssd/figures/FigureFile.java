package ssd.figures;

import java.nio.file.Path;

/**
 * A figure written to disk: its title, the PNG, and the SVG (null for figures drawn only as an image).
 */
public record FigureFile(String title, Path png, Path svg) {
    public FigureFile {
        if (title == null || png == null) throw new IllegalArgumentException("a figure file needs a title and a PNG");
    }
}

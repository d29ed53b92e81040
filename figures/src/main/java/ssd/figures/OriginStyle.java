package ssd.figures;

import ssd.tables.Origin;

import java.awt.Color;

/** How Figure 3 shows which model produced a token: the legend's label and the background it is drawn on. */
public final class OriginStyle {
    private static final Color NGRAM = new Color(0xB8, 0xE6, 0xB0), DRAFT = new Color(0xA9, 0xCB, 0xF2), ORACLE = new Color(0xF6, 0xB2, 0xA8);

    private OriginStyle() {
    }

    public static String label(Origin o) {
        return switch (o) {
            case NGRAM -> "n-gram";
            case DRAFT -> "draft";
            case ORACLE -> "oracle";
        };
    }

    /** The colour as CSS writes it, e.g. "#b8e6b0" (the report's Figure 3 as text uses the image's colours). */
    public static String cssColour(Origin o) {
        return String.format(java.util.Locale.ROOT, "#%06x", colour(o).getRGB() & 0xFFFFFF);
    }

    public static Color colour(Origin o) {
        return switch (o) {
            case NGRAM -> NGRAM;
            case DRAFT -> DRAFT;
            case ORACLE -> ORACLE;
        };
    }
}

package ssd.figures;

import java.awt.Color;
import java.util.Locale;

/** Which model produced a generated token, with the colour Figure 3 gives it. */
public enum Origin {
    NGRAM("n-gram", new Color(0xB8, 0xE6, 0xB0)),
    DRAFT("draft", new Color(0xA9, 0xCB, 0xF2)),
    ORACLE("oracle", new Color(0xF6, 0xB2, 0xA8));

    private final String label;
    private final Color colour;

    Origin(String label, Color colour) {
        this.label = label;
        this.colour = colour;
    }

    public String label() {
        return label;
    }

    /** The background a token of this origin is drawn on. */
    public Color colour() {
        return colour;
    }

    /** Parses the records' spelling (NGRAM, DRAFT, ORACLE; case-insensitive). */
    public static Origin parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown origin '" + s + "': expected NGRAM, DRAFT or ORACLE");
        }
    }
}

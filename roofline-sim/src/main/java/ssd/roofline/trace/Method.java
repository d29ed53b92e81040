package ssd.roofline.trace;

import java.util.Locale;

/** Decoding method that produced a trace. */
public enum Method {
    /** One oracle forward per generated token. */
    BASELINE,
    /** A draft model proposes a chain; the oracle verifies it in one forward. */
    SPECULATIVE,
    /** Tree-structured oracle batches, with the draft itself decoded speculatively by an n-gram model. */
    STAGED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Method parse(String text) {
        for (Method m : values()) {
            if (m.label().equalsIgnoreCase(text == null ? "" : text.trim())) return m;
        }
        throw new IllegalArgumentException("unknown method '" + text + "': expected baseline, speculative or staged");
    }
}

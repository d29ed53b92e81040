package ssd.tables;

import java.util.Locale;

/** What a comparison measures, and how its numbers are printed. */
public enum Quantity {
    /** Decoding throughput: generated tokens over wall time. */
    TOKENS_PER_SECOND,
    /** Memory traffic: bytes read per generated token. */
    BYTES_PER_TOKEN;

    /** A ratio of two methods ("3.16x") or, for an absolute value, the quantity with its unit. */
    public String format(double v, boolean ratio) {
        if (ratio) return String.format(Locale.ROOT, "%.2fx", v);
        return switch (this) {
            case TOKENS_PER_SECOND -> String.format(Locale.ROOT, "%.1f tokens/s", v);
            case BYTES_PER_TOKEN -> String.format(Locale.ROOT, "%.2f MB/token", v / 1e6);
        };
    }
}

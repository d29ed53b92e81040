package ssd.tables;

/**
 * One of our numbers in the paper comparison (predicted or measured), or why there is none.
 *
 * @param number        the value; NaN when absent
 * @param absentBecause why there is no value (e.g. "no staged runs"); null when there is one
 */
public record ComparedValue(double number, String absentBecause) {
    public ComparedValue {
        if (Double.isFinite(number) == (absentBecause != null))
            throw new IllegalArgumentException("a compared value is a finite number or a reason for its absence, got " + number + " / " + absentBecause);
    }

    public static ComparedValue of(double number) {
        return new ComparedValue(number, null);
    }

    public static ComparedValue absent(String because) {
        return new ComparedValue(Double.NaN, because);
    }

    public boolean present() {
        return absentBecause == null;
    }

    /** "2.41x", "151.2 tokens/s", or "- (no staged runs)". */
    public String text(Comparison c) {
        return present() ? c.quantity().format(number, c.ratio()) : "- (" + absentBecause + ")";
    }
}

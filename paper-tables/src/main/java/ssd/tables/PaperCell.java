package ssd.tables;

/**
 * What the paper prints in one cell, or why there is no number to compare with.
 *
 * @param value the number (a ratio, or tokens/s); NaN for {@link Kind#ILLEGIBLE} and {@link Kind#NOT_REPORTED}
 * @param note  where a derived value comes from, or what the paper says instead of a number
 */
public record PaperCell(Kind kind, double value, String note) {
    public enum Kind {
        /** Printed as this number. */
        REPORTED,
        /** Printed as roughly this number ("~150 tokens/s"). */
        APPROXIMATE,
        /** Not printed: follows from two printed numbers ({@link #note} says how). */
        DERIVED,
        /** Printed, but our copy of the paper cannot be read there. */
        ILLEGIBLE,
        /** The paper has no such number. */
        NOT_REPORTED
    }

    public PaperCell {
        if (kind == null) throw new IllegalArgumentException("a paper cell needs a kind");
        boolean hasNumber = kind == Kind.REPORTED || kind == Kind.APPROXIMATE || kind == Kind.DERIVED;
        if (hasNumber != Double.isFinite(value))
            throw new IllegalArgumentException(kind + " cell " + (hasNumber ? "needs a number" : "has no number") + ", got " + value);
        if (note == null) note = "";
    }

    public static PaperCell reported(double value) {
        return new PaperCell(Kind.REPORTED, value, "");
    }

    public static PaperCell approximate(double value) {
        return new PaperCell(Kind.APPROXIMATE, value, "");
    }

    public static PaperCell derived(double value, String how) {
        return new PaperCell(Kind.DERIVED, value, how);
    }

    public static PaperCell illegible(String note) {
        return new PaperCell(Kind.ILLEGIBLE, Double.NaN, note);
    }

    public static PaperCell notReported(String note) {
        return new PaperCell(Kind.NOT_REPORTED, Double.NaN, note);
    }

    public boolean hasNumber() {
        return Double.isFinite(value);
    }

    /** The cell as the tables print it: "3.16x", "~150.0 tokens/s", "~2.32x (derived: ...)", "illegible in our copy". */
    public String text(Comparison c) {
        return switch (kind) {
            case REPORTED -> c.quantity().format(value, c.ratio());
            case APPROXIMATE -> "~" + c.quantity().format(value, c.ratio());
            case DERIVED -> "~" + c.quantity().format(value, c.ratio()) + " (derived: " + note + ")";
            case ILLEGIBLE -> "illegible in our copy";
            case NOT_REPORTED -> "not reported";
        };
    }
}

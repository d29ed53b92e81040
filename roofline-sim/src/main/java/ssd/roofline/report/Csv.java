package ssd.roofline.report;

import java.util.Locale;

/** Builds CSV text: a header, then rows; numbers in plain locale-independent form, text quoted when needed. */
public final class Csv {
    private final StringBuilder sb = new StringBuilder();
    private final int columns;

    public Csv(String... header) {
        columns = header.length;
        sb.append(String.join(",", header)).append('\n');
    }

    public Csv row(Object... cells) {
        if (cells.length != columns) throw new IllegalArgumentException("expected " + columns + " cells, got " + cells.length);
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) sb.append(',');
            sb.append(cell(cells[i]));
        }
        sb.append('\n');
        return this;
    }

    private static String cell(Object o) {
        if (o instanceof Double d) return String.format(Locale.ROOT, "%.6g", d);
        if (o instanceof Float f) return String.format(Locale.ROOT, "%.6g", f);
        String s = String.valueOf(o);
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) return '"' + s.replace("\"", "\"\"") + '"';
        return s;
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}

package ssd.roofline.calibrate;

import ssd.common.Dtype;
import ssd.roofline.ModelShape;
import ssd.common.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The forward-timing benchmark CSV written by {@code ssd bench-forward} and read by {@code ssd simulate calibrate}.
 * The first line is exactly {@link #HEADER}; each further line is one (device, dtype, shape, prefix, new tokens)
 * point. Fields containing a comma or a quote are quoted RFC 4180 style ({@code "a,b"}, {@code ""} for a quote).
 * {@code copy_bandwidth_bytes_per_s} may be empty or 0 when not measured. Blank lines are ignored.
 */
public final class BenchCsv {
    public static final String HEADER = "device,dtype,n_layer,n_embd,n_head,vocab_size,n_positions,prefix_len,new_tokens,"
            + "ms_per_forward,weight_bytes,copy_bandwidth_bytes_per_s";
    private static final String[] COLUMNS = HEADER.split(",");

    private BenchCsv() {
    }

    public static List<BenchRow> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        return parse(lines, file.toString());
    }

    public static List<BenchRow> parse(List<String> lines, String where) {
        if (lines.isEmpty() || !stripBom(lines.get(0)).trim().equals(HEADER)) {
            throw new IllegalArgumentException(where + " line 1: header must be exactly '" + HEADER + "'");
        }
        List<BenchRow> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            String at = where + " line " + (i + 1);
            List<String> f = splitCsv(line, at);
            if (f.size() != COLUMNS.length) {
                throw new IllegalArgumentException(at + ": expected " + COLUMNS.length + " columns, got " + f.size()
                        + " (quote fields that contain commas)");
            }
            try {
                rows.add(new BenchRow(f.get(0).trim(), Dtype.parse(f.get(1)),
                        new ModelShape(integer(f, 2, at), integer(f, 3, at), integer(f, 4, at), integer(f, 5, at), integer(f, 6, at)),
                        integer(f, 7, at), integer(f, 8, at), number(f, 9, at), (long) integer64(f, 10, at),
                        f.get(11).isBlank() ? 0 : number(f, 11, at)));
            } catch (IllegalArgumentException e) {
                if (e.getMessage().startsWith(at)) throw e;
                throw new IllegalArgumentException(at + ": " + e.getMessage());
            }
        }
        if (rows.isEmpty()) throw new IllegalArgumentException(where + ": no data rows after the header");
        return rows;
    }

    public static void write(Path file, List<BenchRow> rows) {
        AtomicFiles.writeString(file, format(rows));
    }

    public static String format(List<BenchRow> rows) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (BenchRow r : rows) {
            ModelShape s = r.shape();
            sb.append(quote(r.device())).append(',').append(r.dtype().flagName()).append(',')
                    .append(s.nLayer()).append(',').append(s.nEmbd()).append(',').append(s.nHead()).append(',')
                    .append(s.vocabSize()).append(',').append(s.nPositions()).append(',')
                    .append(r.prefixLen()).append(',').append(r.newTokens()).append(',')
                    .append(String.format(Locale.ROOT, "%.6f", r.msPerForward())).append(',')
                    .append(r.weightBytes()).append(',')
                    .append(r.copyBandwidth() > 0 ? String.format(Locale.ROOT, "%.6e", r.copyBandwidth()) : "")
                    .append('\n');
        }
        return sb.toString();
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    private static String quote(String field) {
        if (field.contains(",") || field.contains("\"") || field.contains("\n")) {
            return '"' + field.replace("\"", "\"\"") + '"';
        }
        return field;
    }

    private static List<String> splitCsv(String line, String at) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (quoted) throw new IllegalArgumentException(at + ": unterminated quoted field");
        out.add(cur.toString());
        return out;
    }

    private static int integer(List<String> f, int col, String at) {
        long v = integer64(f, col, at);
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) throw bad(f, col, at, "an integer");
        return (int) v;
    }

    private static long integer64(List<String> f, int col, String at) {
        try {
            return Long.parseLong(f.get(col).trim());
        } catch (NumberFormatException e) {
            throw bad(f, col, at, "an integer");
        }
    }

    private static double number(List<String> f, int col, String at) {
        try {
            double v = Double.parseDouble(f.get(col).trim());
            if (!Double.isFinite(v)) throw bad(f, col, at, "a finite number");
            return v;
        } catch (NumberFormatException e) {
            throw bad(f, col, at, "a number");
        }
    }

    private static IllegalArgumentException bad(List<String> f, int col, String at, String expected) {
        return new IllegalArgumentException(at + ": column " + COLUMNS[col] + " must be " + expected + ", got '" + f.get(col) + "'");
    }
}

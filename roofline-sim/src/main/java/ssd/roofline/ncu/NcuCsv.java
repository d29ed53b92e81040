package ssd.roofline.ncu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Nsight Compute's {@code --csv} output of the default details page: one line per (kernel launch, metric) with the
 * columns {@code "ID","Process ID","Process Name","Host Name","Kernel Name",...,"Metric Name","Metric Unit",
 * "Metric Value"}. Lines before the header and lines that are not CSV records after it (ncu's {@code ==PROF==}
 * notes, the profiled program's own output) are skipped. Values may carry thousands separators ("1,576,912");
 * units with a prefix (Kbyte, Mbyte, usecond, ...) are scaled to base units.
 */
public final class NcuCsv {
    private NcuCsv() {
    }

    public static List<NcuKernel> read(Path file) {
        try {
            return parse(Files.readAllLines(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    public static List<NcuKernel> parse(List<String> lines, String where) {
        int header = -1;
        for (int i = 0; i < lines.size() && header < 0; i++) if (lines.get(i).startsWith("\"ID\",")) header = i;
        if (header < 0) throw new IllegalArgumentException(where + ": no Nsight Compute CSV header (a line starting with \"ID\",); "
                + "was ncu run with --csv, and did it profile any kernel?");
        List<String> cols = split(lines.get(header), where + " line " + (header + 1));
        int id = column(cols, "ID", where), name = column(cols, "Kernel Name", where), metric = column(cols, "Metric Name", where),
                unit = column(cols, "Metric Unit", where), value = column(cols, "Metric Value", where);
        Map<Long, String> names = new LinkedHashMap<>();
        Map<Long, Map<String, Double>> metrics = new LinkedHashMap<>();
        for (int i = header + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.startsWith("\"")) continue;
            String at = where + " line " + (i + 1);
            List<String> f = split(line, at);
            if (f.size() != cols.size()) throw new IllegalArgumentException(at + ": expected " + cols.size() + " columns, got " + f.size());
            long launch;
            try {
                launch = Long.parseLong(f.get(id).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(at + ": column ID must be an integer, got '" + f.get(id) + "'");
            }
            names.putIfAbsent(launch, f.get(name));
            metrics.computeIfAbsent(launch, k -> new LinkedHashMap<>()).put(f.get(metric), number(f.get(value), f.get(unit), at));
        }
        if (names.isEmpty()) throw new IllegalArgumentException(where + ": the CSV has a header but no kernel");
        List<NcuKernel> out = new ArrayList<>(names.size());
        for (Map.Entry<Long, String> e : names.entrySet()) out.add(new NcuKernel(e.getKey(), e.getValue(), metrics.get(e.getKey())));
        return out;
    }

    private static int column(List<String> cols, String name, String where) {
        int i = cols.indexOf(name);
        if (i < 0) throw new IllegalArgumentException(where + ": the CSV header has no column \"" + name + "\" (use ncu's default details page)");
        return i;
    }

    /** A value in base units: "1,576,912" byte, "1.58" Gbyte, "5.02" usecond. */
    static double number(String text, String unit, String at) {
        double v;
        try {
            v = Double.parseDouble(text.replace(",", "").trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(at + ": metric value must be a number, got '" + text + "'");
        }
        String u = unit.trim().toLowerCase(Locale.ROOT);
        double scale = 1;
        if (u.startsWith("k")) scale = 1e3;
        else if (u.startsWith("m") && !u.startsWith("msecond")) scale = 1e6;
        else if (u.startsWith("g")) scale = 1e9;
        else if (u.startsWith("t") && !u.startsWith("thread")) scale = 1e12;
        else if (u.equals("usecond") || u.equals("us")) scale = 1e3;      // to nanoseconds
        else if (u.equals("msecond")) scale = 1e6;
        else if (u.equals("second")) scale = 1e9;
        return v * scale;
    }

    /** RFC 4180 fields of one line. */
    static List<String> split(String line, String at) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') quoted = false;
                else cur.append(c);
            } else if (c == '"') quoted = true;
            else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else cur.append(c);
        }
        if (quoted) throw new IllegalArgumentException(at + ": unterminated quoted field");
        out.add(cur.toString());
        return out;
    }
}

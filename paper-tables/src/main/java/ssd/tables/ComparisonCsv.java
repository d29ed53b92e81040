package ssd.tables;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The paper comparison as long-form CSV, one line per value: setup, table, comparison, sampling, column (paper,
 * predicted:PROFILE, or measured), value (full precision; empty when absent) and status (the paper cell's kind, or
 * "predicted"/"measured", or "absent: why").
 */
public final class ComparisonCsv {
    public static final String HEADER = "setup,table,comparison,sampling,column,value,status";

    private ComparisonCsv() {
    }

    public static String csv(PaperComparison comparison) {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (PaperComparison.Section s : comparison.sections()) {
            for (PaperComparison.Row r : s.rows()) {
                List<String> prefix = List.of(s.setup(), Integer.toString(r.claim().table()), r.claim().comparison().label(), r.claim().samplingMode());
                PaperCell paper = r.claim().paper();
                line(out, prefix, "paper", paper.value(), paper.kind().name().toLowerCase(Locale.ROOT));
                for (int i = 0; i < comparison.profiles().size(); i++)
                    line(out, prefix, "predicted:" + comparison.profiles().get(i).name(), r.predicted().get(i), "predicted");
                line(out, prefix, "measured", r.measured(), "measured");
            }
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> prefix, String column, ComparedValue v, String status) {
        line(out, prefix, column, v.number(), v.present() ? status : "absent: " + v.absentBecause());
    }

    private static void line(StringBuilder out, List<String> prefix, String column, double value, String status) {
        List<String> cells = new ArrayList<>(prefix);
        cells.add(column);
        cells.add(Double.isFinite(value) ? Double.toString(value) : "");
        cells.add(status);
        out.append(String.join(",", cells.stream().map(ComparisonCsv::quoted).toList())).append('\n');
    }

    private static String quoted(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}

package ssd.tables;

import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.ArrayList;
import java.util.List;

/** A table as CSV: a header row, numbers at full precision (empty when missing), text quoted where needed. */
public final class CsvTables {
    private CsvTables() {
    }

    public static String csv(Table t) {
        StringBuilder out = new StringBuilder(String.join(",", t.columnNames())).append('\n');
        for (int i = 0; i < t.rowCount(); i++) {
            List<String> cells = new ArrayList<>();
            for (Column<?> c : t.columns()) cells.add(cell(c, i));
            out.append(String.join(",", cells)).append('\n');
        }
        return out.toString();
    }

    private static String cell(Column<?> c, int row) {
        if (c.isMissing(row)) return "";
        if (c instanceof NumericColumn<?> n) {
            double v = n.getDouble(row);
            if (!Double.isFinite(v)) return "";
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
        }
        String s = c.getString(row);
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}

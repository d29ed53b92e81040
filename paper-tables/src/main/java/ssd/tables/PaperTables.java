package ssd.tables;

import tech.tablesaw.aggregate.AggregateFunction;
import tech.tablesaw.aggregate.AggregateFunctions;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.joining.JoinType;
import tech.tablesaw.table.TableSliceGroup;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The paper's Table 1 (bytes read per generated token, relative to the baseline) and Table 2 (decoding throughput
 * relative to the baseline), one row per (setup, sampling mode, method). A setup is a device and dtype: methods are
 * only compared with the baseline of the same setup and sampling mode, which must be present.
 * <p>
 * Throughput of a group is its total generated tokens over its total recorded seconds; the per-prompt geometric mean
 * is over prompts decoded by both the method and the baseline, of (method tokens/s) / (baseline tokens/s), each
 * prompt's rate again pooled over its runs. Bytes per token is the group's summed {@code stats.bytes_read} over its
 * tokens.
 */
public final class PaperTables {
    public static final String SETUP = "setup", SAMPLING = "sampling", METHOD = "method", TASK = "task_id";
    public static final String BASELINE = "baseline";
    private static final List<String> METHOD_ORDER = List.of(BASELINE, "speculative", "staged");
    private static final List<String> SUMMED = List.of("tokens", "seconds", "bytes", "oracle_bytes", "draft_bytes",
            "accepted", "oracle_calls", "ngram", "draft", "oracle");
    private static final double MB = 1e6;

    private final Table groups;
    private final List<String> setups;

    private PaperTables(Table groups, List<String> setups) {
        this.groups = groups;
        this.setups = setups;
    }

    /**
     * Aggregates our methods' runs (peers' runs are left to {@link PeerComparison}); fails if a (setup, sampling mode)
     * with other methods has no baseline runs.
     */
    public static PaperTables of(List<DecodeRun> allRuns) {
        if (allRuns.isEmpty()) throw new IllegalArgumentException("no decoding runs");
        List<DecodeRun> runs = allRuns.stream().filter(r -> !r.isPeer()).toList();
        if (runs.isEmpty()) throw new IllegalArgumentException("only peers' runs: the tables compare with our methods' runs (bench-decode results)");
        Table perRun = runTable(runs);
        Comparator<Row> order = order(runs);
        Table g = renamed(perRun.summarize(SUMMED, AggregateFunctions.sum).by(SETUP, SAMPLING, METHOD), AggregateFunctions.sum);
        g = g.joinOn(SETUP, SAMPLING, METHOD)
                .with(renamed(perRun.summarize(TASK, AggregateFunctions.countUnique).by(SETUP, SAMPLING, METHOD), AggregateFunctions.countUnique))
                .type(JoinType.INNER).join();
        g.column(TASK).setName("prompts");
        requireBaselines(g);

        Table base = baselineOnly(g).selectColumns(SETUP, SAMPLING, "tokens", "seconds", "bytes");
        base.column("tokens").setName("base_tokens");
        base.column("seconds").setName("base_seconds");
        base.column("bytes").setName("base_bytes");
        g = g.joinOn(SETUP, SAMPLING).with(base).type(JoinType.INNER).join();

        DoubleColumn tokens = g.doubleColumn("tokens"), rate = ratio(tokens, g.doubleColumn("seconds"), "tokens_per_s");
        DoubleColumn baseRate = ratio(g.doubleColumn("base_tokens"), g.doubleColumn("base_seconds"), "base_tokens_per_s");
        DoubleColumn bytesPerToken = ratio(g.doubleColumn("bytes"), tokens, "bytes_per_token");
        DoubleColumn baseBytesPerToken = ratio(g.doubleColumn("base_bytes"), g.doubleColumn("base_tokens"), "base_bytes_per_token");
        g.addColumns(rate,
                ratio(rate, baseRate, "relative_throughput"),
                ratio(g.doubleColumn("accepted"), g.doubleColumn("oracle_calls"), "accepted_per_oracle_call"),
                ratio(g.doubleColumn("ngram"), tokens, "ngram_pct").multiply(100).setName("ngram_pct"),
                ratio(g.doubleColumn("draft"), tokens, "draft_pct").multiply(100).setName("draft_pct"),
                ratio(g.doubleColumn("oracle"), tokens, "oracle_pct").multiply(100).setName("oracle_pct"),
                bytesPerToken.divide(MB).setName("mb_per_token"),
                ratio(g.doubleColumn("oracle_bytes"), tokens, "").divide(MB).setName("oracle_mb_per_token"),
                ratio(g.doubleColumn("draft_bytes"), tokens, "").divide(MB).setName("draft_mb_per_token"),
                ratio(bytesPerToken, baseBytesPerToken, "relative_bytes_per_token"));
        g = g.joinOn(SETUP, SAMPLING, METHOD).with(perPromptSpeedups(perRun)).type(JoinType.LEFT_OUTER).join();
        List<String> setups = runs.stream().map(TableLabels::setup).distinct().toList();
        return new PaperTables(g.sortOn(order), setups);
    }

    /** Table 1: bytes read per generated token (absolute, and relative to the baseline). */
    public Table table1() {
        return groups.selectColumns(SETUP, SAMPLING, METHOD, "tokens", "mb_per_token", "oracle_mb_per_token", "draft_mb_per_token",
                "relative_bytes_per_token").setName("Table 1");
    }

    /** Table 2: decoding throughput relative to the baseline, with acceptance and token origins. */
    public Table table2() {
        return groups.selectColumns(SETUP, SAMPLING, METHOD, "prompts", "tokens", "seconds", "tokens_per_s", "relative_throughput",
                "geomean_speedup", "speedup_prompts", "accepted_per_oracle_call", "ngram_pct", "draft_pct", "oracle_pct").setName("Table 2");
    }

    /** Both tables' columns, one row per group (what tables.csv holds). */
    public Table combined() {
        List<String> cols = new ArrayList<>(table2().columnNames());
        for (String c : table1().columnNames()) if (!cols.contains(c)) cols.add(c);
        return groups.selectColumns(cols.toArray(String[]::new)).setName("Tables 1 and 2");
    }

    /** The distinct setups (device, dtype), in order of appearance. */
    public List<String> setups() {
        return setups;
    }

    private static Table runTable(List<DecodeRun> runs) {
        Table t = Table.create("runs",
                StringColumn.create(SETUP, runs.stream().map(TableLabels::setup)),
                StringColumn.create(SAMPLING, runs.stream().map(r -> TableLabels.samplingMode(r.sampling()))),
                StringColumn.create(METHOD, runs.stream().map(DecodeRun::method)),
                StringColumn.create(TASK, runs.stream().map(DecodeRun::taskId)));
        t.addColumns(
                DoubleColumn.create("tokens", runs.stream().mapToDouble(DecodeRun::tokenCount)),
                DoubleColumn.create("seconds", runs.stream().mapToDouble(DecodeRun::seconds)),
                DoubleColumn.create("bytes", runs.stream().mapToDouble(r -> r.stats().bytesRead())),
                DoubleColumn.create("oracle_bytes", runs.stream().mapToDouble(r -> r.stats().oracleBytesRead())),
                DoubleColumn.create("draft_bytes", runs.stream().mapToDouble(r -> r.stats().draftBytesRead())),
                DoubleColumn.create("accepted", runs.stream().mapToDouble(r -> r.stats().acceptedPerOracleCall() * r.stats().oracleForwards())),
                DoubleColumn.create("oracle_calls", runs.stream().mapToDouble(r -> r.stats().oracleForwards())),
                DoubleColumn.create("ngram", runs.stream().mapToDouble(r -> r.count(Origin.NGRAM))),
                DoubleColumn.create("draft", runs.stream().mapToDouble(r -> r.count(Origin.DRAFT))),
                DoubleColumn.create("oracle", runs.stream().mapToDouble(r -> r.count(Origin.ORACLE))));
        return t;
    }

    /** Per (setup, sampling, method): geometric mean over shared prompts of the per-prompt speedup, and how many prompts. */
    private static Table perPromptSpeedups(Table perRun) {
        Table prompts = renamed(perRun.summarize(List.of("tokens", "seconds"), AggregateFunctions.sum).by(SETUP, SAMPLING, METHOD, TASK),
                AggregateFunctions.sum);
        prompts.addColumns(ratio(prompts.doubleColumn("tokens"), prompts.doubleColumn("seconds"), "rate"));
        Table base = baselineOnly(prompts).selectColumns(SETUP, SAMPLING, TASK, "rate");
        base.column("rate").setName("base_rate");
        Table paired = prompts.joinOn(SETUP, SAMPLING, TASK).with(base).type(JoinType.INNER).join();
        paired.addColumns(ratio(paired.doubleColumn("rate"), paired.doubleColumn("base_rate"), "speedup"));
        Table geo = paired.summarize("speedup", AggregateFunctions.geometricMean, AggregateFunctions.count).by(SETUP, SAMPLING, METHOD);
        geo.column(aggregateName("speedup", AggregateFunctions.geometricMean)).setName("geomean_speedup");
        geo.column(aggregateName("speedup", AggregateFunctions.count)).setName("speedup_prompts");
        return geo;
    }

    private static void requireBaselines(Table g) {
        Set<String> withBaseline = new LinkedHashSet<>();
        for (Row r : baselineOnly(g)) withBaseline.add(r.getString(SETUP) + "\n" + r.getString(SAMPLING));
        for (Row r : g) {
            if (!withBaseline.contains(r.getString(SETUP) + "\n" + r.getString(SAMPLING)))
                throw new IllegalArgumentException("no baseline runs for " + r.getString(SAMPLING) + " on " + r.getString(SETUP) + " (found "
                        + r.getString(METHOD) + "): relative numbers need the baseline decoded with the same sampling, device and dtype");
        }
    }

    private static Table baselineOnly(Table t) {
        return t.where(t.stringColumn(METHOD).isEqualTo(BASELINE));
    }

    /** a / b element-wise, NaN where b is 0. */
    private static DoubleColumn ratio(DoubleColumn a, DoubleColumn b, String name) {
        DoubleColumn out = DoubleColumn.create(name, a.size());
        for (int i = 0; i < a.size(); i++) out.set(i, b.getDouble(i) == 0 ? Double.NaN : a.getDouble(i) / b.getDouble(i));
        return out;
    }

    /** Strips a summary's "Fn [column]" names back to "column". */
    private static Table renamed(Table summary, AggregateFunction<?, ?> fn) {
        for (String name : summary.columnNames()) {
            for (String col : List.of(TASK, "tokens", "seconds", "bytes", "oracle_bytes", "draft_bytes", "accepted", "oracle_calls", "ngram", "draft", "oracle"))
                if (name.equals(aggregateName(col, fn))) summary.column(name).setName(col);
        }
        return summary;
    }

    private static String aggregateName(String column, AggregateFunction<?, ?> fn) {
        return TableSliceGroup.aggregateColumnName(column, fn.functionName());
    }

    /** Setups and sampling modes in order of appearance (greedy first), methods baseline, speculative, staged, then others. */
    private static Comparator<Row> order(List<DecodeRun> runs) {
        List<String> setups = runs.stream().map(TableLabels::setup).distinct().toList();
        List<String> modes = new ArrayList<>(List.of("greedy"));
        runs.stream().map(r -> TableLabels.samplingMode(r.sampling())).distinct().filter(m -> !modes.contains(m)).forEach(modes::add);
        List<String> methods = new ArrayList<>(METHOD_ORDER);
        runs.stream().map(DecodeRun::method).distinct().filter(m -> !methods.contains(m)).forEach(methods::add);
        return Comparator.<Row>comparingInt(r -> setups.indexOf(r.getString(SETUP)))
                .thenComparingInt(r -> modes.indexOf(r.getString(SAMPLING)))
                .thenComparingInt(r -> methods.indexOf(r.getString(METHOD)));
    }
}

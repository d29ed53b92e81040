package ssd.tables;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Table 2's peer rows: each peer's throughput (stock transformers decoding, {@code tools/peers/hf_peers.py}) against
 * ours on the same setup, sampling mode and prompts. A peer usually decodes only the first prompts (it runs under a
 * time budget): our methods are restricted to the prompts that peer decoded, and a method of ours that lacks one of them
 * gets no ratio. Throughput is pooled, total tokens over total seconds, as in Table 2; a ratio is ours over the peer's.
 */
public final class PeerComparison {
    /** Our methods the peers are compared with, in column order. */
    public static final List<String> OURS = List.of(PaperTables.BASELINE, "speculative", "staged");
    private static final List<String> PEER_ORDER = List.of("hf-generate", "hf-static-compiled", "hf-assisted", "hf-prompt-lookup");

    private final Table table;

    private PeerComparison(Table table) {
        this.table = table;
    }

    /** One row per (setup, sampling mode, peer method); empty when no run is a peer's. */
    public static PeerComparison of(List<DecodeRun> runs) {
        Map<String, List<DecodeRun>> peerGroups = new LinkedHashMap<>();
        Map<String, Map<String, Map<String, double[]>>> ours = new LinkedHashMap<>(); // setup+mode -> method -> task -> tokens, seconds
        for (DecodeRun r : runs) {
            String where = TableLabels.setup(r) + "\n" + TableLabels.samplingMode(r.sampling());
            if (r.isPeer()) {
                peerGroups.computeIfAbsent(where + "\n" + r.method(), k -> new ArrayList<>()).add(r);
            } else {
                double[] t = ours.computeIfAbsent(where, k -> new LinkedHashMap<>()).computeIfAbsent(r.method(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(r.taskId(), k -> new double[2]);
                t[0] += r.tokenCount();
                t[1] += r.seconds();
            }
        }
        List<Row> rows = new ArrayList<>();
        for (List<DecodeRun> group : peerGroups.values()) {
            DecodeRun first = group.get(0);
            String where = TableLabels.setup(first) + "\n" + TableLabels.samplingMode(first.sampling());
            Map<String, Map<String, double[]>> mine = ours.get(where);
            if (mine == null)
                throw new IllegalArgumentException("no runs of our methods for " + TableLabels.samplingMode(first.sampling()) + " on "
                        + TableLabels.setup(first) + " (found peer " + first.method() + "): peers are compared with ours decoded with the "
                        + "same sampling, device and dtype");
            rows.add(Row.of(group, mine));
        }
        List<String> setups = runs.stream().map(TableLabels::setup).distinct().toList();
        rows.sort(Comparator.<Row>comparingInt(r -> setups.indexOf(r.setup))
                .thenComparing(r -> !r.sampling.equals("greedy"))
                .thenComparingInt(r -> PEER_ORDER.contains(r.method) ? PEER_ORDER.indexOf(r.method) : PEER_ORDER.size()));
        return new PeerComparison(table(rows));
    }

    public boolean isEmpty() {
        return table.rowCount() == 0;
    }

    /**
     * Columns: setup, sampling, method (the peer's), implementation, prompts, tokens, seconds, tokens_per_s, then per
     * method of ours {@code <method>_tokens_per_s} (on the peer's prompts) and {@code <method>_over_peer}, and the
     * peer's accepted_per_oracle_call where it counted its forwards.
     */
    public Table table() {
        return table;
    }

    private record Row(String setup, String sampling, String method, String implementation, int prompts, double tokens, double seconds,
                       double[] oursRate, double accepted) {
        static Row of(List<DecodeRun> group, Map<String, Map<String, double[]>> mine) {
            DecodeRun first = group.get(0);
            Set<String> tasks = new LinkedHashSet<>();
            double tokens = 0, seconds = 0, accepted = 0, calls = 0;
            boolean counted = true;
            Set<String> implementations = new LinkedHashSet<>();
            for (DecodeRun r : group) {
                tasks.add(r.taskId());
                tokens += r.tokenCount();
                seconds += r.seconds();
                implementations.add(r.peer().implementation());
                counted &= r.peer().countedForwards();
                if (r.peer().countedForwards()) {
                    accepted += r.peer().acceptedPerOracleCall() * r.peer().oracleForwards();
                    calls += r.peer().oracleForwards();
                }
            }
            double[] rates = new double[OURS.size()];
            for (int i = 0; i < rates.length; i++) rates[i] = pooledRate(mine.get(OURS.get(i)), tasks);
            return new Row(TableLabels.setup(first), TableLabels.samplingMode(first.sampling()), first.method(),
                    String.join(" / ", implementations), tasks.size(), tokens, seconds, rates,
                    counted && calls > 0 ? accepted / calls : Double.NaN);
        }

        /** Tokens/s of one of our methods over exactly {@code tasks}; NaN if it lacks any of them. */
        private static double pooledRate(Map<String, double[]> byTask, Set<String> tasks) {
            if (byTask == null || !byTask.keySet().containsAll(tasks)) return Double.NaN;
            double tokens = 0, seconds = 0;
            for (String t : tasks) {
                tokens += byTask.get(t)[0];
                seconds += byTask.get(t)[1];
            }
            return seconds > 0 ? tokens / seconds : Double.NaN;
        }
    }

    private static Table table(List<Row> rows) {
        Table t = Table.create("Table 2, peers",
                StringColumn.create(PaperTables.SETUP, rows.stream().map(Row::setup)),
                StringColumn.create(PaperTables.SAMPLING, rows.stream().map(Row::sampling)),
                StringColumn.create(PaperTables.METHOD, rows.stream().map(Row::method)),
                StringColumn.create("implementation", rows.stream().map(Row::implementation)),
                DoubleColumn.create("prompts", rows.stream().mapToDouble(Row::prompts)),
                DoubleColumn.create("tokens", rows.stream().mapToDouble(Row::tokens)),
                DoubleColumn.create("seconds", rows.stream().mapToDouble(Row::seconds)),
                DoubleColumn.create("tokens_per_s", rows.stream().mapToDouble(r -> r.tokens / r.seconds)));
        for (int i = 0; i < OURS.size(); i++) {
            int m = i;
            t.addColumns(DoubleColumn.create(OURS.get(m) + "_tokens_per_s", rows.stream().mapToDouble(r -> r.oursRate[m])));
        }
        for (int i = 0; i < OURS.size(); i++) {
            int m = i;
            t.addColumns(DoubleColumn.create(OURS.get(m) + "_over_peer", rows.stream().mapToDouble(r -> r.oursRate[m] / (r.tokens / r.seconds))));
        }
        t.addColumns(DoubleColumn.create("accepted_per_oracle_call", rows.stream().mapToDouble(Row::accepted)));
        return t;
    }
}

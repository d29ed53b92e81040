package ssd.roofline.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ssd.roofline.io.Json;
import ssd.roofline.io.JsonFields;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Host time a decoder spends around its forwards, per unit of work it does; what a forward model (kernels on a
 * device) leaves out. Fitted from {@code bench-decode} records by {@link HostCostFit}; a property of the implementation
 * and the host CPU, not of the GPU.
 *
 * @param perForwardSeconds        every oracle or draft forward: launching it (a graph replay, or nothing extra when
 *                                 the device model already charges per-op host overhead), copying its inputs, waiting
 *                                 for it and reading its result
 * @param perOracleRowSeconds      each token of an oracle batch: verification reads and compares its result
 * @param perDraftLevelSeconds     each draft forward of staged decoding (one tree level): scoring the rows on the
 *                                 device (softmax, top-m, the asked probabilities) and copying them to the host
 * @param perDraftRowSeconds       each token of a draft batch (the draft's share of that scoring that grows with rows)
 * @param perNgramQuerySeconds     one n-gram lookup
 * @param perRoundSeconds          bookkeeping of one decoding round (one oracle call): commits, emitting, stop checks
 * @param perTreeCandidateSeconds  staged tree building, per candidate the draft scored (a staged draft row)
 * @param source                   where the numbers come from
 */
public record HostCosts(double perForwardSeconds, double perOracleRowSeconds, double perDraftLevelSeconds,
                        double perDraftRowSeconds, double perNgramQuerySeconds, double perRoundSeconds,
                        double perTreeCandidateSeconds, String source) {

    /** Parameter names in the order of {@link #values()}, as in the JSON file. */
    static final String[] KEYS = {"per_forward_s", "per_oracle_row_s", "per_draft_level_s", "per_draft_row_s",
            "per_ngram_query_s", "per_round_s", "per_tree_candidate_s"};

    public HostCosts {
        double[] v = {perForwardSeconds, perOracleRowSeconds, perDraftLevelSeconds, perDraftRowSeconds, perNgramQuerySeconds,
                perRoundSeconds, perTreeCandidateSeconds};
        for (int i = 0; i < v.length; i++) {
            if (!(v[i] >= 0) || !Double.isFinite(v[i])) throw new IllegalArgumentException("host cost " + KEYS[i] + " must be >= 0, got " + v[i]);
        }
        if (source == null) source = "";
    }

    public static final HostCosts NONE = new HostCosts(0, 0, 0, 0, 0, 0, 0, "none");

    static HostCosts of(double[] v, String source) {
        return new HostCosts(v[0], v[1], v[2], v[3], v[4], v[5], v[6], source);
    }

    double[] values() {
        return new double[]{perForwardSeconds, perOracleRowSeconds, perDraftLevelSeconds, perDraftRowSeconds, perNgramQuerySeconds,
                perRoundSeconds, perTreeCandidateSeconds};
    }

    public HostCosts withPerForwardSeconds(double seconds) {
        return new HostCosts(seconds, perOracleRowSeconds, perDraftLevelSeconds, perDraftRowSeconds, perNgramQuerySeconds,
                perRoundSeconds, perTreeCandidateSeconds, source);
    }

    public HostCosts withSource(String newSource) {
        return new HostCosts(perForwardSeconds, perOracleRowSeconds, perDraftLevelSeconds, perDraftRowSeconds, perNgramQuerySeconds,
                perRoundSeconds, perTreeCandidateSeconds, newSource);
    }

    /** One line per parameter in microseconds, for reports. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        double[] v = values();
        for (int i = 0; i < v.length; i++) sb.append(String.format(Locale.ROOT, "  %-22s %9.2f us%n", KEYS[i].replace("_s", ""), v[i] * 1e6));
        return sb.toString();
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        double[] v = values();
        for (int i = 0; i < v.length; i++) o.put(KEYS[i], v[i]);
        o.put("source", source);
        return o;
    }

    public static HostCosts fromJson(JsonNode node, String where) {
        JsonFields.requireObject(node, where);
        double[] v = new double[KEYS.length];
        for (int i = 0; i < v.length; i++) v[i] = JsonFields.requireDouble(node, KEYS[i], 0, where);
        return of(v, JsonFields.optionalString(node, "source", "", where));
    }

    public static HostCosts read(Path file) {
        return fromJson(Json.read(file), file.toString());
    }

    public void write(Path file) {
        Json.write(toJson(), file);
    }
}

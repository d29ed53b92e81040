package ssd.tables;

import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every cell of the paper's Tables 1 and 2 beside ours: the paper's value, what each implementation profile predicts
 * for the paper's card from our runs, and what we measured. One section per setup (device, dtype) of the runs, since
 * methods are only compared on the same setup.
 * <p>
 * Measured values are those of {@link PaperTables}: a group's total tokens over its total seconds, and its summed
 * {@code stats.bytes_read} over its tokens. Predicted ratios are taken within one profile and sampling mode.
 */
public record PaperComparison(List<Profile> profiles, List<Section> sections) {
    /** One setup's comparison: a row per paper cell, in {@link PaperClaims#all()} order. */
    public record Section(String setup, List<Row> rows) {
        public Section {
            rows = List.copyOf(rows);
        }

        public List<Row> table(int table) {
            return rows.stream().filter(r -> r.claim().table() == table).toList();
        }
    }

    /** @param predicted one value per profile, in {@link #profiles} order */
    public record Row(PaperClaim claim, List<ComparedValue> predicted, ComparedValue measured) {
        public Row {
            predicted = List.copyOf(predicted);
        }
    }

    public PaperComparison {
        profiles = List.copyOf(profiles);
        sections = List.copyOf(sections);
    }

    public static PaperComparison of(List<DecodeRun> runs, Predictor predictor) {
        PaperTables tables = PaperTables.of(runs);
        Map<String, double[]> measured = measured(tables.combined());
        List<Section> sections = new ArrayList<>();
        for (String setup : tables.setups()) {
            List<DecodeRun> ofSetup = runs.stream().filter(r -> TableLabels.setup(r).equals(setup)).toList();
            Map<String, Prediction> predicted = new HashMap<>();
            for (Prediction p : predictor.predict(ofSetup)) {
                String key = p.profile() + "\n" + TableLabels.samplingMode(p.sampling()) + "\n" + p.method();
                if (predicted.put(key, p) != null)
                    throw new IllegalArgumentException("two predictions for " + p.method() + ", " + TableLabels.samplingMode(p.sampling())
                            + ", profile " + p.profile() + ": expected one");
            }
            List<Row> rows = new ArrayList<>();
            for (PaperClaim claim : PaperClaims.all()) {
                Comparison c = claim.comparison();
                String mode = claim.samplingMode();
                List<ComparedValue> perProfile = new ArrayList<>();
                for (Profile profile : predictor.profiles()) {
                    Prediction m = predicted.get(profile.name() + "\n" + mode + "\n" + c.method());
                    Prediction ref = c.ratio() ? predicted.get(profile.name() + "\n" + mode + "\n" + c.reference()) : null;
                    perProfile.add(value(c, m == null ? Double.NaN : m.value(c.quantity()), ref == null ? Double.NaN : ref.value(c.quantity()), "prediction"));
                }
                double[] m = measured.get(setup + "\n" + mode + "\n" + c.method());
                double[] ref = c.ratio() ? measured.get(setup + "\n" + mode + "\n" + c.reference()) : null;
                rows.add(new Row(claim, perProfile, value(c, pick(m, c.quantity()), pick(ref, c.quantity()), "runs")));
            }
            sections.add(new Section(setup, rows));
        }
        return new PaperComparison(predictor.profiles(), sections);
    }

    /** The comparison's value, or why it has none ("no staged runs", "no baseline prediction"). */
    private static ComparedValue value(Comparison c, double method, double reference, String what) {
        if (!Double.isFinite(method)) return ComparedValue.absent("no " + c.method() + " " + what);
        if (c.ratio() && !Double.isFinite(reference)) return ComparedValue.absent("no " + c.reference() + " " + what);
        double v = c.of(method, reference);
        return Double.isFinite(v) ? ComparedValue.of(v) : ComparedValue.absent("undefined");
    }

    private static double pick(double[] values, Quantity q) {
        if (values == null) return Double.NaN;
        return q == Quantity.TOKENS_PER_SECOND ? values[0] : values[1];
    }

    /** "setup\nsampling\nmethod" -> {tokens/s, bytes/token} from the tables' groups. */
    private static Map<String, double[]> measured(Table groups) {
        Map<String, double[]> out = new HashMap<>();
        for (tech.tablesaw.api.Row r : groups) {
            out.put(r.getString(PaperTables.SETUP) + "\n" + r.getString(PaperTables.SAMPLING) + "\n" + r.getString(PaperTables.METHOD),
                    new double[]{r.getDouble("tokens_per_s"), r.getDouble("mb_per_token") * 1e6});
        }
        return out;
    }
}

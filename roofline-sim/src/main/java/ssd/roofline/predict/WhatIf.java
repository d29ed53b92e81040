package ssd.roofline.predict;

import ssd.roofline.ModelShape;
import ssd.roofline.ModelShapes;
import ssd.roofline.device.Device;

import java.util.ArrayList;
import java.util.List;

/**
 * Steady-state what-ifs the paper does not have: baseline, chain speculative and tree speculative steps at a fixed
 * prefix, and sweeps over tree budget, draft size and device. The tree step is costed as one oracle forward of the
 * whole tree, a KV commit weighted by the probability that any proposal is accepted, and one draft forward per tree
 * level on that level's internal nodes. The second (n-gram) stage of staged decoding is not modelled here: use a
 * recorded trace for it.
 */
public final class WhatIf {
    private WhatIf() {
    }

    public static Estimate baseline(Scenario s) {
        MethodPredictor.Cost c = predictor(s).cost(s.oracle(), s.dtype(), s.prefixLen(), 1);
        return new Estimate("baseline", s.device().name(), 1, c.seconds(), c.flops(), c.bytes());
    }

    /** Chain speculative decoding with g drafted tokens and the draft's top-token acceptance rate. */
    public static Estimate chain(Scenario s, int g) {
        return step(s, SpeculationTree.best(s.acceptance().topOnly(), g), "speculative g=" + g, false);
    }

    /** Tree speculative decoding with a budget of proposals. */
    public static Estimate tree(Scenario s, int budget) {
        return step(s, SpeculationTree.best(s.acceptance(), budget), "tree B=" + budget, s.options().commitTreeKv());
    }

    private static Estimate step(Scenario s, SpeculationTree tree, String label, boolean commit) {
        MethodPredictor p = predictor(s);
        MethodPredictor.Cost oracle = p.cost(s.oracle(), s.dtype(), s.prefixLen(), tree.oracleBatch());
        if (commit && tree.proposals() > 0) {
            // Expected commit: needed when at least one proposal is accepted, moving about E kept rows.
            int kept = (int) Math.max(2, Math.round(tree.expectedTokens()));
            oracle = oracle.plus(p.commitCost(s.oracle(), s.dtype(), kept), tree.probabilityAnyAccepted());
        }
        double seconds = oracle.seconds(), flops = oracle.flops(), bytes = oracle.bytes();
        int[] levels = tree.draftBatchPerLevel();
        for (int level = 0; level < levels.length; level++) {
            if (levels[level] == 0) continue;
            MethodPredictor.Cost d = p.cost(s.draft(), s.dtype(), s.prefixLen() + level, levels[level]);
            seconds += d.seconds();
            flops += d.flops();
            bytes += d.bytes();
        }
        return new Estimate(label, s.device().name(), tree.expectedTokens(), seconds, flops, bytes);
    }

    /** One row of a sweep: the estimate and its speedup over the baseline in the same scenario. */
    public record SweepRow(String sweep, String value, String device, String oracle, String draft, Estimate estimate,
                           double speedup) {
    }

    /** Chain and tree at each budget (a chain of g has the same oracle batch as a tree of budget g). */
    public static List<SweepRow> treeBudget(Scenario s, List<Integer> budgets) {
        Estimate base = baseline(s);
        List<SweepRow> rows = new ArrayList<>();
        rows.add(row("tree_budget", "0", s, base, base));
        for (int b : budgets) {
            rows.add(row("tree_budget", Integer.toString(b), s, chain(s, b), base));
            rows.add(row("tree_budget", Integer.toString(b), s, tree(s, b), base));
        }
        return rows;
    }

    /** Chain and tree steps for several draft shapes (acceptance held fixed: only the draft's cost varies). */
    public static List<SweepRow> draftSize(Scenario s, List<ModelShape> drafts, int chainLength, int budget) {
        List<SweepRow> rows = new ArrayList<>();
        for (ModelShape d : drafts) {
            Scenario sd = s.withDraft(d);
            Estimate base = baseline(sd);
            rows.add(row("draft_params", Long.toString(d.parameters()), sd, chain(sd, chainLength), base));
            rows.add(row("draft_params", Long.toString(d.parameters()), sd, tree(sd, budget), base));
        }
        return rows;
    }

    /** Baseline, chain and tree on each device. */
    public static List<SweepRow> devices(Scenario s, List<Device> devices, int chainLength, int budget) {
        List<SweepRow> rows = new ArrayList<>();
        for (Device d : devices) {
            Scenario sd = s.withDevice(d);
            Estimate base = baseline(sd);
            rows.add(row("device", d.name(), sd, base, base));
            rows.add(row("device", d.name(), sd, chain(sd, chainLength), base));
            rows.add(row("device", d.name(), sd, tree(sd, budget), base));
        }
        return rows;
    }

    private static SweepRow row(String sweep, String value, Scenario s, Estimate e, Estimate base) {
        return new SweepRow(sweep, value, s.device().name(), ModelShapes.name(s.oracle()),
                ModelShapes.name(s.draft()), e, e.tokensPerSecond() / base.tokensPerSecond());
    }

    private static MethodPredictor predictor(Scenario s) {
        return new MethodPredictor(s.device(), s.options());
    }
}

package ssd.tables;

import java.math.BigDecimal;

/**
 * How the tables name the groups they compare: a run's setup and sampling mode, as table cells (the figures spell
 * them their own way, in {@code ssd.figures.FigureLabels}; each module's committed outputs keep their spelling).
 */
final class TableLabels {
    private TableLabels() {
    }

    /** "device, dtype": runs are only compared with a baseline of the same setup. */
    static String setup(DecodeRun r) {
        return r.device() + ", " + r.dtype();
    }

    /** "greedy", or "top-k (k=50, T=1)" ("sampling (T=...)" when no top-k cut-off was set). */
    static String samplingMode(Sampling s) {
        if (s.greedy()) return "greedy";
        String t = BigDecimal.valueOf(s.temperature()).stripTrailingZeros().toPlainString();
        return s.topK() > 0 ? "top-k (k=" + s.topK() + ", T=" + t + ")" : "sampling (T=" + t + ")";
    }
}

package ssd.figures;

import ssd.tables.DecodeRun;
import ssd.tables.Sampling;

import java.util.Locale;

/**
 * How the figures name a run's setup and sampling mode in titles, legends and file names (the tables spell them
 * their own way; each keeps its spelling so that the committed figures and tables stay as generated).
 */
public final class FigureLabels {
    private FigureLabels() {
    }

    /** "device dtype": runs compare with each other only on the same device, dtype and sampling mode. */
    public static String setup(DecodeRun r) {
        return r.device() + " " + r.dtype();
    }

    /** "greedy" or "top-k 50, T=1.0". */
    public static String sampling(Sampling s) {
        return s.greedy() ? "greedy" : String.format(Locale.ROOT, "top-k %d, T=%s", s.topK(), s.temperature());
    }
}

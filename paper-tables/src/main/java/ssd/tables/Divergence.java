package ssd.tables;

import java.util.Locale;

/**
 * A record's {@code greedy_divergence}: the first generated position where a greedy run's token differs from the
 * baseline's, and bench-decode's verdict on it from the reference (eager) forward's logits there.
 *
 * @param position the index of the first differing generated token
 * @param verdict  tie, reference prefers the method's token, or a real mismatch
 */
public record Divergence(int position, Verdict verdict) {
    public enum Verdict {
        /** The two tokens' logits are within rounding of each other: either is a correct argmax. */
        TIE,
        /** The reference forward itself picks the method's token: the baseline's own forward rounded the other way. */
        REFERENCE_PREFERS_METHOD,
        /** The logits clearly prefer the baseline's token: the method is not exact here. */
        MISMATCH;

        /** The spelling in records: tie, reference_prefers_method, mismatch. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Verdict parse(String text) {
            for (Verdict v : values()) if (v.label().equals(text)) return v;
            throw new IllegalArgumentException("unknown greedy_divergence.verdict '" + text + "' (expected tie, reference_prefers_method or mismatch)");
        }

        /** Whether rounding explains the difference (the method is still exact up to floating point). */
        public boolean explainedByRounding() {
            return this != MISMATCH;
        }
    }

    public Divergence {
        if (position < 0) throw new IllegalArgumentException("greedy_divergence.position must be >= 0, got " + position);
        if (verdict == null) throw new IllegalArgumentException("greedy_divergence.verdict is required");
    }
}

package ssd.harness.decode;

import java.util.Locale;

/** The decoding methods the command line runs, by their flag names (also the "method" of every results record). */
public enum Method {
    BASELINE, SPECULATIVE, STAGED;

    /** Parses a method name given to {@code option} (named in the message when it is unknown). */
    public static Method parse(String flag, String option) {
        for (Method m : values()) if (m.flagName().equals(flag.trim().toLowerCase(Locale.ROOT))) return m;
        throw new IllegalArgumentException("unknown " + option + " '" + flag + "': expected baseline, speculative or staged");
    }

    public static Method parse(String flag) {
        return parse(flag, "method");
    }

    public String flagName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean needsDraft() {
        return this != BASELINE;
    }
}

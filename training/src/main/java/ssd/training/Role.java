package ssd.training;

import java.util.Locale;

/** Which model of the family a run trains: the oracle (large) or the draft (small). */
public enum Role {
    ORACLE, DRAFT;

    public static Role parse(String s) {
        if (s == null) throw new IllegalArgumentException("--role is required: oracle or draft");
        switch (s.toLowerCase(Locale.ROOT)) {
            case "oracle": return ORACLE;
            case "draft": return DRAFT;
            default: throw new IllegalArgumentException("unknown role '" + s + "': expected oracle or draft");
        }
    }

    public String flagName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Role other() {
        return this == ORACLE ? DRAFT : ORACLE;
    }
}

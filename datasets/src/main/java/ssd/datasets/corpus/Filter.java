package ssd.datasets.corpus;

/** Why a file was left out of the corpus; each is counted in the manifest under {@link #key()}. Checked in this order. */
public enum Filter {
    UNREADABLE("unreadable"),
    TOO_LARGE("too_large"),
    EMPTY("empty"),
    NOT_UTF8("not_utf8"),
    MAX_LINE_LENGTH("max_line_length"),
    MEAN_LINE_LENGTH("mean_line_length"),
    LOW_ALPHANUMERIC("low_alphanumeric"),
    AUTO_GENERATED("auto_generated"),
    EXACT_DUPLICATE("exact_duplicate"),
    NEAR_DUPLICATE("near_duplicate");

    private final String key;

    Filter(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}

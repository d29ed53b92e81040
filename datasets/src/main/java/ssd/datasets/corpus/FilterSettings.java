package ssd.datasets.corpus;

/**
 * Thresholds of the Stack / Codex style filters.
 *
 * @param maxFileBytes      files larger than this are dropped (The Stack: 1 MB)
 * @param maxLineLength     any line longer than this (chars) drops the file (Codex: 1000)
 * @param maxMeanLineLength mean line length above this drops the file (Codex: 100)
 * @param minAlphanumeric   fraction of letters/digits below this drops the file (Codex: 0.25)
 * @param nearDuplicateJaccard estimated Jaccard similarity of word 5-shingles at or above which two files are
 *                          near-duplicates (The Stack: 0.85)
 */
public record FilterSettings(long maxFileBytes, int maxLineLength, double maxMeanLineLength, double minAlphanumeric,
                             double nearDuplicateJaccard) {
    public static final FilterSettings DEFAULTS = new FilterSettings(1_000_000, 1000, 100, 0.25, 0.85);
}

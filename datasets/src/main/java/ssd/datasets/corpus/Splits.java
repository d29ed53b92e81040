package ssd.datasets.corpus;

/**
 * The train/validation split: a function of the file's content hash only, so the same file lands in the same
 * split on every machine and in every run, whatever else is in the corpus.
 */
public final class Splits {
    private static final long BUCKETS = 1_000_000;

    private Splits() {
    }

    public static boolean isValidation(Digest digest, double valPercent) {
        return Long.remainderUnsigned(digest.a(), BUCKETS) < Math.round(valPercent * (BUCKETS / 100));
    }
}

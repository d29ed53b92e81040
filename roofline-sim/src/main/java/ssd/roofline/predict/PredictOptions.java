package ssd.roofline.predict;

/**
 * Costs a trace does not record.
 *
 * @param ngramQuerySeconds host time of one n-gram lookup. Default 10 us: the paper's bound ("an n-gram ... runs in
 *                          under 10 us"), so predictions err on the slow side.
 * @param commitTreeKv      charge a KV commit ({@code ForwardCostModel.kvCommit}) after a staged tree verification
 *                          that keeps more than the root. The decoder skips the copy when the kept path already sits
 *                          in the first pending slots, which a trace does not record, so this errs on the slow side.
 *                          Chains need none: rejected entries are dropped by truncating the cache.
 */
public record PredictOptions(double ngramQuerySeconds, boolean commitTreeKv) {
    public static final PredictOptions DEFAULT = new PredictOptions(10e-6, true);

    public PredictOptions {
        if (!(ngramQuerySeconds >= 0)) throw new IllegalArgumentException("n-gram query time must be >= 0, got " + ngramQuerySeconds);
    }
}

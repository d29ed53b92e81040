package ssd.roofline.decode;

/**
 * Where a run's decoding time goes, in seconds, split as {@code bench-decode} records split it ({@code stats.ms}):
 * oracle forwards with verification, draft forwards with scoring, n-gram lookups, and the rest (tree building,
 * commits, stop checks). The prompt forwards are not part of it: their time in a record also holds one-off CUDA-graph
 * captures, which no model of a forward predicts.
 */
public record StageTimes(double oracleSeconds, double draftSeconds, double ngramSeconds, double bookkeepingSeconds) {

    public StageTimes {
        for (double v : new double[]{oracleSeconds, draftSeconds, ngramSeconds, bookkeepingSeconds}) {
            if (!(v >= 0) || !Double.isFinite(v)) throw new IllegalArgumentException("stage time must be a finite number >= 0, got " + v);
        }
    }

    public static final StageTimes ZERO = new StageTimes(0, 0, 0, 0);

    /** Decoding time: every stage, prompt forwards excluded. */
    public double decodeSeconds() {
        return oracleSeconds + draftSeconds + ngramSeconds + bookkeepingSeconds;
    }

    public StageTimes plus(StageTimes o) {
        return new StageTimes(oracleSeconds + o.oracleSeconds, draftSeconds + o.draftSeconds, ngramSeconds + o.ngramSeconds,
                bookkeepingSeconds + o.bookkeepingSeconds);
    }
}

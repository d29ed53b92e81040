package ssd.roofline;

import java.util.Arrays;

/** The median of measured values: what the bandwidth and latency summaries report, since a few samples always stall. */
public final class Medians {
    private Medians() {
    }

    /** The middle value (the mean of the two middle ones for an even count); {@code values} is left unchanged. */
    public static double of(double[] values) {
        if (values.length == 0) throw new IllegalArgumentException("the median of no values");
        double[] v = values.clone();
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }
}

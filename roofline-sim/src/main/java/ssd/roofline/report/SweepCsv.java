package ssd.roofline.report;

import ssd.roofline.predict.WhatIf;

import java.util.List;

/** What-if sweep rows as CSV, one row per (varied value, method). */
public final class SweepCsv {
    private SweepCsv() {
    }

    public static String csv(List<WhatIf.SweepRow> rows) {
        Csv csv = new Csv("sweep", "value", "device", "oracle", "draft", "method", "tokens_per_call", "ms_per_call",
                "tokens_per_s", "speedup", "dram_bytes_per_token", "arithmetic_intensity");
        for (WhatIf.SweepRow r : rows) {
            var e = r.estimate();
            csv.row(r.sweep(), r.value(), r.device(), r.oracle(), r.draft(), e.method(), e.tokensPerCall(),
                    e.secondsPerCall() * 1e3, e.tokensPerSecond(), r.speedup(), e.dramBytesPerToken(), e.arithmeticIntensity());
        }
        return csv.toString();
    }
}

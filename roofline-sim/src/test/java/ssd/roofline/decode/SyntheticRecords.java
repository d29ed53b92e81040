package ssd.roofline.decode;

import ssd.common.Dtype;
import ssd.roofline.ModelShape;
import ssd.roofline.device.Device;
import ssd.roofline.trace.DecodingTrace;
import ssd.roofline.trace.DraftCall;
import ssd.roofline.trace.Method;
import ssd.roofline.trace.OracleCall;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Records of the three methods whose stage times a known device and known host costs produce exactly. */
final class SyntheticRecords {
    static final ModelShape ORACLE = new ModelShape(8, 256, 8, 50257, 1024);
    static final ModelShape DRAFT = new ModelShape(2, 128, 4, 50257, 1024);

    private SyntheticRecords() {
    }

    static List<DecodeRecord> make(Device device, HostCosts host, int runsPerMethod, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        ForwardTimes times = new ForwardTimes(device);
        List<DecodeRecord> out = new ArrayList<>();
        for (int run = 0; run < runsPerMethod; run++) {
            int prompt = 20 + rng.nextInt(100);
            for (Method m : Method.values()) {
                DecodingTrace t = trace(m, prompt, 64, rng);
                StageTimes measured = RunWork.of(t, times).predict(host);
                out.add(new DecodeRecord("t" + run, device.name(), "greedy", t, measured, 1));
            }
        }
        return out;
    }

    static DecodingTrace trace(Method m, int prompt, int tokens, SplittableRandom rng) {
        List<OracleCall> calls = new ArrayList<>();
        List<DraftCall> drafts = new ArrayList<>();
        long ngram = 0;
        int prefix = prompt - 1, emitted = 0;
        if (m == Method.BASELINE) {
            calls.add(new OracleCall(0, prompt, 1));
            prefix = prompt;
            emitted = 1;
        }
        while (emitted < tokens) {
            int batch = switch (m) {
                case BASELINE -> 1;
                case SPECULATIVE -> 5;
                case STAGED -> 20 + rng.nextInt(13);
            };
            int accepted = Math.min(tokens - emitted, 1 + rng.nextInt(Math.min(batch, 6)));
            if (m == Method.SPECULATIVE) for (int i = 0; i < 4; i++) drafts.add(new DraftCall(prefix + i, 1));
            if (m == Method.STAGED) {
                int levels = 2 + rng.nextInt(5);
                for (int i = 0; i < levels; i++) drafts.add(new DraftCall(prefix + 5 * i, 1 + rng.nextInt(24)));
                ngram += 10 + rng.nextInt(20);
            }
            calls.add(new OracleCall(prefix, batch, accepted));
            prefix += accepted;
            emitted += accepted;
        }
        return new DecodingTrace(m, ORACLE, m == Method.BASELINE ? null : DRAFT, Dtype.FP16, tokens, calls, drafts, ngram);
    }
}

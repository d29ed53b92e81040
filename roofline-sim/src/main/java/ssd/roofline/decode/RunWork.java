package ssd.roofline.decode;

import ssd.roofline.trace.DecodingTrace;
import ssd.roofline.trace.DraftCall;
import ssd.roofline.trace.Method;
import ssd.roofline.trace.OracleCall;

/**
 * The decoding phase of one run as the host-time model sees it: device seconds of its forwards on a device, and the
 * counts that host costs are charged per ({@link HostCosts}). Stage by stage, predicted time = device seconds +
 * counts · host costs, which is linear in the host costs: {@link #features} gives the coefficients.
 *
 * @param oracleDeviceSeconds predicted device time of the decoding oracle forwards
 * @param draftDeviceSeconds  predicted device time of the draft forwards
 * @param oracleRoofline      their roofline part alone (no kernel latency or per-op host overhead)
 * @param draftRoofline       likewise for the draft forwards
 * @param oracleKernels       kernels over the decoding oracle forwards
 * @param draftKernels        kernels over the draft forwards
 * @param oracleCalls         decoding oracle forwards (= rounds)
 * @param oracleRows          tokens over those forwards
 * @param draftCalls          draft forwards
 * @param draftRows           tokens over the draft forwards
 * @param stagedLevels        draft forwards that score a tree level (staged only)
 * @param ngramQueries        n-gram lookups
 * @param treeCandidates      candidates the draft scored while building trees (staged draft rows)
 * @param tokens              tokens emitted by the decoding phase
 */
record RunWork(double oracleDeviceSeconds, double draftDeviceSeconds, double oracleRoofline, double draftRoofline,
               long oracleKernels, long draftKernels, long oracleCalls, long oracleRows, long draftCalls,
               long draftRows, long stagedLevels, long ngramQueries, long treeCandidates, long tokens) {

    static final int ORACLE = 0, DRAFT = 1, NGRAM = 2, BOOKKEEPING = 3;

    static RunWork of(DecodingTrace t, ForwardTimes times) {
        double oracleDev = 0, oracleRoof = 0, draftRoof = 0;
        long calls = 0, rows = 0, oracleKernels = 0, draftKernels = 0;
        for (OracleCall c : DecodeRecord.decodeOracleCalls(t)) {
            ForwardTimes.Forward f = times.forward(t.oracle(), t.dtype(), c.prefixLen(), c.newTokens());
            oracleDev += f.seconds();
            oracleRoof += f.rooflineSeconds();
            oracleKernels += f.kernels();
            calls++;
            rows += c.newTokens();
        }
        double draftDev = 0;
        long draftRows = 0;
        for (DraftCall c : t.draftCalls()) {
            ForwardTimes.Forward f = times.forward(t.draft(), t.dtype(), c.prefixLen(), c.newTokens());
            draftDev += f.seconds();
            draftRoof += f.rooflineSeconds();
            draftKernels += f.kernels();
            draftRows += c.newTokens();
        }
        boolean staged = t.method() == Method.STAGED;
        long draftCalls = t.draftCalls().size();
        return new RunWork(oracleDev, draftDev, oracleRoof, draftRoof, oracleKernels, draftKernels, calls, rows, draftCalls, draftRows, staged ? draftCalls : 0, t.ngramQueries(),
                staged ? draftRows : 0, DecodeRecord.decodeTokens(t));
    }

    /** Device seconds of a stage (only the oracle and draft stages run forwards). */
    double deviceSeconds(int stage) {
        return stage == ORACLE ? oracleDeviceSeconds : stage == DRAFT ? draftDeviceSeconds : 0;
    }

    /** The roofline part of a stage's device seconds. */
    double rooflineSeconds(int stage) {
        return stage == ORACLE ? oracleRoofline : stage == DRAFT ? draftRoofline : 0;
    }

    /** Kernels launched in a stage. */
    long kernels(int stage) {
        return stage == ORACLE ? oracleKernels : stage == DRAFT ? draftKernels : 0;
    }

    /** Coefficients of the host costs (in {@link HostCosts#values()} order) in a stage's time. */
    double[] features(int stage) {
        return switch (stage) {
            case ORACLE -> new double[]{oracleCalls, oracleRows, 0, 0, 0, 0, 0};
            case DRAFT -> new double[]{draftCalls, 0, stagedLevels, draftRows, 0, 0, 0};
            case NGRAM -> new double[]{0, 0, 0, 0, ngramQueries, 0, 0};
            case BOOKKEEPING -> new double[]{0, 0, 0, 0, 0, oracleCalls, treeCandidates};
            default -> throw new IllegalArgumentException("stage " + stage);
        };
    }

    StageTimes predict(HostCosts host) {
        double[] h = host.values();
        double[] s = new double[4];
        for (int stage = 0; stage < 4; stage++) {
            double[] f = features(stage);
            double v = deviceSeconds(stage);
            for (int i = 0; i < h.length; i++) v += f[i] * h[i];
            s[stage] = v;
        }
        return new StageTimes(s[ORACLE], s[DRAFT], s[NGRAM], s[BOOKKEEPING]);
    }

    static double stage(StageTimes t, int stage) {
        return switch (stage) {
            case ORACLE -> t.oracleSeconds();
            case DRAFT -> t.draftSeconds();
            case NGRAM -> t.ngramSeconds();
            case BOOKKEEPING -> t.bookkeepingSeconds();
            default -> throw new IllegalArgumentException("stage " + stage);
        };
    }
}

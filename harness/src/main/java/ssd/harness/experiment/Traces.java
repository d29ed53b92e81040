package ssd.harness.experiment;

import ssd.decoder.decoding.DecodeStats;
import ssd.decoder.decoding.Generation;
import ssd.decoder.forward.ForwardStats;
import ssd.decoder.model.GPT2Config;
import ssd.common.Dtype;
import ssd.roofline.ModelShape;
import ssd.roofline.trace.DecodingTrace;
import ssd.roofline.trace.DraftCall;
import ssd.roofline.trace.Method;
import ssd.roofline.trace.OracleCall;

import java.util.ArrayList;
import java.util.List;

/**
 * A generation's forwards as a roofline-sim {@link DecodingTrace}. The baseline's prompt forward yields its first
 * token, so it is its first oracle call; the speculative methods' prompt forward yields nothing and is left out.
 * Oracle calls count the tokens they emitted (accepted proposals plus the oracle's own), the last one cut to where
 * generation stopped.
 */
public final class Traces {
    private Traces() {
    }

    public static DecodingTrace of(String method, Generation g, GPT2Config oracle, GPT2Config draft, String dtype) {
        DecodeStats s = g.stats();
        Method m = Method.parse(method);
        List<OracleCall> calls = new ArrayList<>();
        int generated = g.tokens().length;
        int remaining = generated;
        if (m == Method.BASELINE && !s.prefills().isEmpty()) {
            ForwardStats p = s.prefills().get(0);
            calls.add(new OracleCall(p.attendedKeys() - p.newTokens(), p.newTokens(), 1));
            remaining--;
        }
        for (DecodeStats.OracleCall c : s.oracleCalls()) {
            if (remaining <= 0) break;
            int emitted = Math.min(c.accepted() + 1, remaining);
            calls.add(new OracleCall(c.forward().attendedKeys() - c.forward().newTokens(), c.forward().newTokens(), emitted));
            remaining -= emitted;
        }
        List<DraftCall> draftCalls = new ArrayList<>();
        for (ForwardStats f : s.draftForwards()) draftCalls.add(new DraftCall(f.attendedKeys() - f.newTokens(), f.newTokens()));
        return new DecodingTrace(m, shape(oracle), draft == null || m == Method.BASELINE ? null : shape(draft), Dtype.parse(dtype),
                generated - remaining, calls, m == Method.BASELINE ? List.of() : draftCalls, m == Method.BASELINE ? 0 : s.ngramQueryCount());
    }

    public static ModelShape shape(GPT2Config c) {
        return new ModelShape(c.nLayer(), c.nEmbd(), c.nHead(), c.vocabSize(), c.nPositions());
    }
}

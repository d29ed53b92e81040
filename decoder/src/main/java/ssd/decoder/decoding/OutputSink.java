package ssd.decoder.decoding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Collects emitted tokens one at a time and applies the stop conditions after each, so that a decoder accepting a
 * whole tree path still stops exactly where the baseline would.
 */
final class OutputSink {
    private final StopConditions stop;
    private final Detokenizer detokenizer;
    private int[] tokens = new int[64];
    private int count;
    private final List<TokenOrigin> origins = new ArrayList<>();
    private StopReason reason;
    private String stopText;

    OutputSink(StopConditions stop, Detokenizer detokenizer) {
        this.stop = stop;
        this.detokenizer = detokenizer;
    }

    /** Adds a token; returns true when generation must end (the token is kept either way). */
    boolean emit(int token, TokenOrigin origin) {
        if (reason != null) throw new IllegalStateException("emit after stop");
        if (count == tokens.length) tokens = Arrays.copyOf(tokens, count * 2);
        tokens[count++] = token;
        origins.add(origin);
        if (token == stop.eosToken()) reason = StopReason.EOS;
        else if (!stop.stopStrings().isEmpty() && (stopText = textBeforeStopString()) != null) reason = StopReason.STOP_STRING;
        else if (count >= stop.maxNewTokens()) reason = StopReason.MAX_TOKENS;
        return reason != null;
    }

    void contextFull() {
        if (reason == null) reason = StopReason.CONTEXT_FULL;
    }

    boolean stopped() {
        return reason != null;
    }

    /** Tokens that may still be emitted before max-new-tokens. */
    int remaining() {
        return stop.maxNewTokens() - count;
    }

    private String textBeforeStopString() {
        String text = detokenizer.decode(Arrays.copyOf(tokens, count));
        int cut = -1;
        for (String s : stop.stopStrings()) {
            int i = text.indexOf(s);
            if (i >= 0 && (cut < 0 || i < cut)) cut = i;
        }
        return cut < 0 ? null : text.substring(0, cut);
    }

    Generation finish(int[] prompt, DecodeStats stats) {
        int[] out = Arrays.copyOf(tokens, count);
        String text;
        if (reason == StopReason.STOP_STRING) text = stopText;
        else if (reason == StopReason.EOS) text = detokenizer.decode(Arrays.copyOf(out, count - 1));
        else text = detokenizer.decode(out);
        return new Generation(prompt.clone(), out, List.copyOf(origins), text, reason == null ? StopReason.MAX_TOKENS : reason, stats);
    }
}

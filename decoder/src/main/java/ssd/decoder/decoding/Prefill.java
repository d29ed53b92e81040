package ssd.decoder.decoding;

import ssd.decoder.cache.KVCache;
import ssd.decoder.forward.Forward;
import ssd.decoder.forward.Readout;
import ssd.decoder.forward.ReadoutRows;
import ssd.decoder.model.GPT2Model;

/**
 * Reads a prompt into a cache in chunks no larger than the forward's largest fixed-shape batch, committing each, so
 * that long prompts run on captured graphs too instead of the eager path.
 */
final class Prefill {
    private Prefill() {
    }

    /** Reads the settled prompt (all but its last token); the last token becomes the first round's root. */
    static void settled(Forward forward, KVCache cache, TokenSequence seq, DecodeStats stats) {
        int[] prefix = seq.settledPrefix();
        if (prefix.length == 0) return;
        long t0 = System.nanoTime();
        stats.prefill(chunks(forward, cache, prefix, Readout.argmax()).stats(), System.nanoTime() - t0);
    }

    /** Reads all of {@code tokens} and returns {@code readout} of the last chunk (its last row follows the whole prompt). */
    static ReadoutRows chunks(Forward forward, KVCache cache, int[] tokens, Readout readout) {
        int chunk = Math.min(forward.maxFixedRows(), tokens.length);
        int start = 0;
        while (true) {
            int n = Math.min(chunk, tokens.length - start);
            int[] piece = java.util.Arrays.copyOfRange(tokens, start, start + n);
            ReadoutRows rows = forward.score(cache, piece, GPT2Model.chain(n, -1), readout);
            cache.commit(KVCache.firstPending(n));
            start += n;
            if (start == tokens.length) return rows;
        }
    }
}

package ssd.decoder.decoding;

import ssd.decoder.model.GPT2Model;
import ssd.decoder.model.KVCache;
import ssd.decoder.model.Logits;

/** Reads the settled prompt (all but its last token) into a cache; the last token becomes the first round's root. */
final class Prefill {
    private Prefill() {
    }

    static void settled(GPT2Model model, KVCache cache, TokenSequence seq, DecodeStats stats) {
        int[] prefix = seq.settledPrefix();
        if (prefix.length == 0) return;
        long t0 = System.nanoTime();
        try (Logits logits = model.forward(cache, prefix, GPT2Model.chain(prefix.length, -1))) {
            cache.commit(KVCache.firstPending(prefix.length));
            stats.prefill(logits.stats(), System.nanoTime() - t0);
        }
    }
}

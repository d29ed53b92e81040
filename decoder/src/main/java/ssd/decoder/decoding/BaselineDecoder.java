package ssd.decoder.decoding;

import ssd.decoder.model.GPT2Model;
import ssd.decoder.model.KVCache;
import ssd.decoder.model.Logits;

/** The oracle alone: one forward per generated token. The reference every other method must reproduce. */
public final class BaselineDecoder implements Decoder {
    private final GPT2Model oracle;
    private final Detokenizer detokenizer;

    public BaselineDecoder(GPT2Model oracle) {
        this(oracle, Detokenizer.forVocab(oracle.config().vocabSize()));
    }

    public BaselineDecoder(GPT2Model oracle, Detokenizer detokenizer) {
        this.oracle = oracle;
        this.detokenizer = detokenizer;
    }

    @Override
    public String name() {
        return "baseline";
    }

    @Override
    public Generation generate(int[] prompt, SamplingConfig sampling, StopConditions stop) {
        Prompts.check(prompt, oracle.config());
        Sampler sampler = new Sampler(sampling);
        DecodeStats stats = new DecodeStats();
        OutputSink out = new OutputSink(stop, detokenizer);
        long start = System.nanoTime();
        try (KVCache cache = oracle.newCache(1)) {
            int next;
            long t0 = System.nanoTime();
            try (Logits logits = oracle.forward(cache, prompt, GPT2Model.chain(prompt.length, -1))) {
                cache.commit(KVCache.firstPending(prompt.length));
                next = ModelSteps.choose(logits, prompt.length - 1, sampler);
                stats.prefill(logits.stats(), System.nanoTime() - t0);
            }
            while (!out.emit(next, TokenOrigin.ORACLE)) {
                if (cache.remainingPositions() < 1) {
                    out.contextFull();
                    break;
                }
                t0 = System.nanoTime();
                try (Logits logits = oracle.forward(cache, new int[]{next}, new int[]{-1})) {
                    cache.commit(new int[]{0});
                    next = ModelSteps.choose(logits, 0, sampler);
                    stats.oracleCall(logits.stats(), 0, System.nanoTime() - t0);
                }
            }
        }
        stats.total(System.nanoTime() - start);
        return out.finish(prompt, stats);
    }
}

package ssd.decoder.decoding;

import org.bytedeco.javacpp.PointerScope;
import ssd.decoder.cache.KVCache;
import ssd.decoder.forward.Forward;
import ssd.decoder.forward.Logits;

/** The oracle alone: one forward per generated token. The reference every other method must reproduce. */
public final class BaselineDecoder implements Decoder {
    private final Forward oracle;
    private final Detokenizer detokenizer;

    public BaselineDecoder(Forward oracle) {
        this(oracle, Detokenizer.forVocab(oracle.model().config().vocabSize()));
    }

    public BaselineDecoder(Forward oracle, Detokenizer detokenizer) {
        this.oracle = oracle;
        this.detokenizer = detokenizer;
    }

    @Override
    public String name() {
        return "baseline";
    }

    @Override
    public void warmUp() {
        oracle.warmUp(1, oracle.maxFixedRows());
    }

    @Override
    public Generation generate(int[] prompt, SamplingConfig sampling, StopConditions stop) {
        Prompts.check(prompt, oracle.model().config());
        Sampler sampler = new Sampler(sampling);
        DecodeStats stats = new DecodeStats();
        OutputSink out = new OutputSink(stop, detokenizer);
        long start = System.nanoTime();
        try (KVCache cache = oracle.newCache(1)) {
            int next;
            long t0 = System.nanoTime();
            try (Logits logits = Prefill.chunks(oracle, cache, prompt)) {
                next = choose(logits, logits.rows() - 1, sampling, sampler);
                stats.prefill(logits.stats(), System.nanoTime() - t0);
            }
            while (!out.emit(next, TokenOrigin.ORACLE)) {
                if (cache.remainingPositions() < 1) {
                    out.contextFull();
                    break;
                }
                t0 = System.nanoTime();
                try (Logits logits = oracle.run(cache, new int[]{next}, new int[]{-1})) {
                    cache.commit(KVCache.firstPending(1));
                    next = choose(logits, 0, sampling, sampler);
                    stats.oracleCall(logits.stats(), 0, System.nanoTime() - t0);
                }
            }
        }
        stats.total(System.nanoTime() - start);
        return out.finish(prompt, stats);
    }

    /** The oracle's token after one row: argmax, or a draw from the sampling target (computed on the device). */
    private static int choose(Logits logits, int row, SamplingConfig sampling, Sampler sampler) {
        if (sampling.isGreedy()) return logits.argmax(row);
        try (PointerScope scope = new PointerScope()) {
            return sampler.sample(TargetDistribution.of(logits.tensor().narrow(0, row, 1), sampling)[0]);
        }
    }
}

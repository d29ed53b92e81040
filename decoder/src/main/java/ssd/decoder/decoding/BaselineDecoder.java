package ssd.decoder.decoding;

import ssd.decoder.cache.KVCache;
import ssd.decoder.forward.Forward;
import ssd.decoder.forward.Readout;
import ssd.decoder.forward.ReadoutRows;

import java.util.List;

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
    public void warmUp(SamplingConfig sampling) {
        oracle.warmUp(1, oracle.maxFixedRows(), List.of(OracleScores.readout(sampling)));
    }

    @Override
    public Generation generate(int[] prompt, SamplingConfig sampling, StopConditions stop) {
        Prompts.check(prompt, oracle.model().config());
        Sampler sampler = new Sampler(sampling);
        DecodeStats stats = new DecodeStats();
        OutputSink out = new OutputSink(stop, detokenizer);
        long start = System.nanoTime();
        try (KVCache cache = oracle.newCache(1)) {
            Readout readout = OracleScores.readout(sampling);
            long t0 = System.nanoTime();
            ReadoutRows last = Prefill.chunks(oracle, cache, prompt, readout);
            int next = OracleScores.of(last, sampling).choose(last.rows() - 1, sampler);
            stats.prefill(last.stats(), System.nanoTime() - t0);
            while (!out.emit(next, TokenOrigin.ORACLE)) {
                if (cache.remainingPositions() < 1) {
                    out.contextFull();
                    break;
                }
                t0 = System.nanoTime();
                ReadoutRows scores = oracle.score(cache, new int[]{next}, new int[]{-1}, readout);
                cache.commit(KVCache.firstPending(1));
                next = OracleScores.of(scores, sampling).choose(0, sampler);
                stats.oracleCall(scores.stats(), 0, System.nanoTime() - t0);
            }
        }
        stats.total(System.nanoTime() - start);
        return out.finish(prompt, stats);
    }
}

package ssd.decoder.decoding;

import ssd.decoder.model.GPT2Model;
import ssd.decoder.ngram.KatzConfig;
import ssd.decoder.ngram.KatzTrigram;
import ssd.decoder.ngram.TrigramCounts;

import java.util.SplittableRandom;

/** Builds the draft-squared stage for toy models the way the pipeline does: a trigram fit on draft samples. */
final class DecodingFixtures {
    private DecodingFixtures() {
    }

    static KatzTrigram trigramFromDraftSamples(GPT2Model draft, int sequences, int length, long seed) {
        int v = draft.config().vocabSize();
        TrigramCounts counts = new TrigramCounts(v);
        Decoder sampler = Methods.baseline(draft);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int s = 0; s < sequences; s++) {
            int[] prompt = {rng.nextInt(v)};
            Generation g = sampler.generate(prompt, SamplingConfig.topK(0, 1.5, seed + s), StopConditions.maxTokens(length));
            int[] seq = new int[g.tokens().length + 1];
            seq[0] = prompt[0];
            System.arraycopy(g.tokens(), 0, seq, 1, g.tokens().length);
            counts.addSequence(seq);
        }
        return KatzTrigram.build(counts, new KatzConfig(5, 1, 1));
    }
}

package ssd.training.ngram;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import ssd.decoder.ngram.KatzConfig;
import ssd.decoder.ngram.KatzTrigram;
import ssd.decoder.ngram.KatzTrigramFile;
import ssd.decoder.ngram.TrigramCounts;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Fits the draft-squared stage: sample {@code tokens} tokens from the draft at the given temperature, count trigrams,
 * and write a Katz back-off model. Shows a progress bar with rate and ETA.
 */
public final class NgramFit {
    /** What a fit did, for the summary line. */
    public record Summary(long sampledTokens, int batches, double seconds, int bigramEntries, int trigramEntries) {
        public double tokensPerSecond() {
            return sampledTokens / seconds;
        }
    }

    private NgramFit() {
    }

    public static Summary run(DraftSampler sampler, long tokens, long seed, KatzConfig config, Path out) throws IOException {
        TrigramCounts[] holder = new TrigramCounts[1];
        long start = System.nanoTime();
        long done = 0;
        int batches = 0;
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("sampling draft").setInitialMax(tokens)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" tok", 1).showSpeed().build()) {
            while (done < tokens) {
                sampler.sampleBatch(seed + batches, seq -> {
                    if (holder[0] == null) holder[0] = new TrigramCounts(sampler.vocabSize());
                    holder[0].addSequence(seq);
                });
                batches++;
                done += sampler.tokensPerBatch();
                bar.stepTo(Math.min(done, tokens));
            }
        }
        KatzTrigram model = KatzTrigram.build(holder[0], config);
        KatzTrigramFile.write(model, out);
        return new Summary(done, batches, (System.nanoTime() - start) / 1e9, model.bigramEntries(), model.trigramEntries());
    }
}

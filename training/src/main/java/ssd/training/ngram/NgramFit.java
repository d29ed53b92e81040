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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Fits the draft-squared stage: sample {@code tokens} tokens from the draft at the given temperature, count trigrams,
 * and write a Katz back-off model. Counting a batch runs on a second thread while the next batch samples, so the
 * device is not left idle for it. Shows a progress bar with rate and ETA.
 */
public final class NgramFit {
    /**
     * What a fit did. {@code samplingSeconds} covers sampling and counting (the rate of {@link #tokensPerSecond()}),
     * {@code buildSeconds} the Katz estimation and the file write after it.
     */
    public record Summary(long sampledTokens, int batches, double samplingSeconds, double buildSeconds, int bigramEntries,
                          int trigramEntries) {
        public double tokensPerSecond() {
            return sampledTokens / samplingSeconds;
        }

        public double seconds() {
            return samplingSeconds + buildSeconds;
        }
    }

    private NgramFit() {
    }

    public static Summary run(DraftSampler sampler, long tokens, long seed, KatzConfig config, Path out) throws IOException {
        TrigramCounts counts = new TrigramCounts(sampler.vocabSize());
        long start = System.nanoTime();
        long done = 0;
        int batches = 0;
        ExecutorService counter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "trigram-counter");
            t.setDaemon(true);
            return t;
        });
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("sampling draft").setInitialMax(tokens)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" tok", 1).showSpeed().build()) {
            Future<?> counting = null;
            while (done < tokens) {
                int[][] batch = sampler.sampleBatch(seed + batches);
                await(counting); // at most one batch waits to be counted
                counting = counter.submit(() -> {
                    for (int[] seq : batch) counts.addSequence(seq);
                });
                batches++;
                done += sampler.tokensPerBatch();
                bar.stepTo(Math.min(done, tokens));
            }
            await(counting);
        } finally {
            counter.shutdownNow();
        }
        double samplingSeconds = (System.nanoTime() - start) / 1e9;
        long b0 = System.nanoTime();
        KatzTrigram model = KatzTrigram.build(counts, config);
        KatzTrigramFile.write(model, out);
        return new Summary(done, batches, samplingSeconds, (System.nanoTime() - b0) / 1e9, model.bigramEntries(), model.trigramEntries());
    }

    private static void await(Future<?> f) {
        if (f == null) return;
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while counting trigrams", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) throw re;
            throw new IllegalStateException("counting trigrams failed: " + c, c);
        }
    }
}

package ssd.training.ngram;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import ssd.decoder.ngram.KatzConfig;
import ssd.decoder.ngram.KatzTrigram;
import ssd.decoder.ngram.KatzTrigramFile;
import ssd.decoder.ngram.TrigramCounts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Fits the draft-squared stage: sample {@code tokens} tokens from the draft at the sampler's temperature, count
 * trigrams, and write a Katz back-off model. Shows a progress bar with rate and ETA.
 *
 * <p>Every sampled batch is appended to a log beside the output ({@link SampleLog}) and then counted, both on a second
 * thread while the next batch samples, so the device is not left idle for either. A fit killed part way resumes from
 * the log's complete batches (recounted in order, then sampling continues with the next batch's seed) and writes the
 * same file as an uninterrupted fit: the counts depend only on which batches were counted, not on when.
 */
public final class NgramFit {
    /**
     * What a fit did. {@code batches} counts every batch in the model, {@code resumedBatches} of them read back from
     * the sample log of an interrupted fit rather than sampled by this one. {@code samplingSeconds} covers reading the
     * log back, sampling and counting; {@code buildSeconds} the Katz estimation and the file write after it.
     */
    public record Summary(long sampledTokens, int batches, int resumedBatches, double samplingSeconds, double buildSeconds,
                          int bigramEntries, int trigramEntries) {
        /** Tokens sampled by this run (batches read back from the log not counted) per second of sampling. */
        public double tokensPerSecond() {
            long fresh = batches == 0 ? 0 : sampledTokens / batches * (batches - resumedBatches);
            return fresh / samplingSeconds;
        }

        public double seconds() {
            return samplingSeconds + buildSeconds;
        }
    }

    /**
     * @param draft  names the draft in the sample log's settings (a resume must sample from the same one)
     * @param resume continue the interrupted fit whose sample log is beside {@code out}
     */
    public record Request(String draft, long tokens, long seed, KatzConfig config, Path out, boolean resume) {
        public Request {
            if (tokens < 1) throw new IllegalArgumentException("--tokens must be positive, got " + tokens);
        }
    }

    private NgramFit() {
    }

    /** A fresh fit (no resume). */
    public static Summary run(DraftSampler sampler, long tokens, long seed, KatzConfig config, Path out) throws IOException {
        return run(sampler, new Request("draft", tokens, seed, config, out, false));
    }

    public static Summary run(DraftSampler sampler, Request req) throws IOException {
        long start = System.nanoTime();
        long perBatch = sampler.tokensPerBatch();
        int needed = Math.toIntExact((req.tokens() + perBatch - 1) / perBatch);
        Path logFile = SampleLog.of(req.out());
        String settings = SampleLog.settings(req.draft(), sampler.vocabSize(), sampler.batch(), sampler.length(),
                sampler.temperature(), req.seed());
        if (req.resume() && !Files.exists(logFile) && Files.exists(req.out())) {
            // Killed after the model was written and its log deleted: nothing left to do.
            KatzTrigram done = KatzTrigramFile.read(req.out());
            System.out.println(req.out() + " is already complete: nothing to resume");
            return new Summary(needed * perBatch, needed, needed, (System.nanoTime() - start) / 1e9, 0,
                    done.bigramEntries(), done.trigramEntries());
        }
        TrigramCounts counts = new TrigramCounts(sampler.vocabSize());
        SampleLog log = req.resume() && Files.exists(logFile)
                ? SampleLog.resume(logFile, settings, sampler.vocabSize(), sampler.batch(), sampler.length(), counts::addSequence)
                : SampleLog.create(logFile, settings, sampler.vocabSize(), sampler.batch(), sampler.length());
        int resumed = log.batches();
        if (resumed > 0) System.out.println("resuming: " + resumed + " of " + needed + " batches already sampled");
        int batches = resumed;
        // One thread, so batches are logged and counted in sampling order.
        ExecutorService recorder = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sample-recorder");
            t.setDaemon(true);
            return t;
        });
        try (log; ProgressBar bar = new ProgressBarBuilder().setTaskName("sampling draft").setInitialMax(req.tokens())
                .setStyle(ProgressBarStyle.ASCII).setUnit(" tok", 1).showSpeed().build()) {
            bar.stepTo(Math.min(batches * perBatch, req.tokens()));
            Future<?> recording = null;
            try {
                while (batches < needed) {
                    int[][] batch = sampler.sampleBatch(req.seed() + batches);
                    await(recording); // at most one batch waits to be recorded
                    recording = recorder.submit(() -> {
                        log.append(batch); // on disk before it is counted: a resume recounts exactly the logged batches
                        for (int[] seq : batch) counts.addSequence(seq);
                    });
                    batches++;
                    bar.stepTo(Math.min(batches * perBatch, req.tokens()));
                }
                await(recording);
            } catch (RuntimeException | Error e) {
                // Let a pending append finish before the log is closed, so no batch is left torn needlessly.
                awaitQuietly(recording);
                throw e;
            }
        } finally {
            recorder.shutdownNow();
        }
        double samplingSeconds = (System.nanoTime() - start) / 1e9;
        long buildStart = System.nanoTime();
        KatzTrigram model = KatzTrigram.build(counts, req.config());
        KatzTrigramFile.write(model, req.out());
        log.delete();
        return new Summary(batches * perBatch, batches, resumed, samplingSeconds, (System.nanoTime() - buildStart) / 1e9,
                model.bigramEntries(), model.trigramEntries());
    }

    private static void await(Future<?> f) {
        if (f == null) return;
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording sampled batches", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) throw re;
            if (c instanceof Error err) throw err;
            throw new IllegalStateException("recording sampled batches failed: " + c, c);
        }
    }

    private static void awaitQuietly(Future<?> f) {
        if (f == null) return;
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException ignored) {
            // The failure already being thrown is the one to report.
        }
    }
}

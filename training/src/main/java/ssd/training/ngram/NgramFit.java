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

/**
 * Fits the draft-squared stage: sample {@code tokens} tokens from the draft at the given temperature, count trigrams,
 * and write a Katz back-off model. Shows a progress bar with rate and ETA. Every sampled batch is logged beside the
 * output ({@link SampleLog}), so a fit killed part way resumes where it stopped and writes the same file.
 */
public final class NgramFit {
    /** What a fit did, for the summary line. */
    public record Summary(long sampledTokens, int batches, double seconds, int bigramEntries, int trigramEntries) {
        public double tokensPerSecond() {
            return sampledTokens / seconds;
        }
    }

    /**
     * @param draft    names the draft in the sample log's settings (a resume must sample from the same one)
     * @param resume   continue the interrupted fit whose sample log is beside {@code out}
     */
    public record Request(String draft, long tokens, double temperature, long seed, KatzConfig config, Path out, boolean resume) {
    }

    private NgramFit() {
    }

    /** A fresh fit (no resume). */
    public static Summary run(DraftSampler sampler, long tokens, long seed, KatzConfig config, Path out) throws IOException {
        return run(sampler, new Request("draft", tokens, 1.0, seed, config, out, false));
    }

    public static Summary run(DraftSampler sampler, Request req) throws IOException {
        long start = System.nanoTime();
        int needed = (int) ((req.tokens() + sampler.tokensPerBatch() - 1) / sampler.tokensPerBatch());
        Path logFile = SampleLog.of(req.out());
        String settings = SampleLog.settings(req.draft(), sampler.vocabSize(), sampler.batch(), sampler.length(), req.temperature(), req.seed());
        if (req.resume() && !Files.exists(logFile) && Files.exists(req.out())) {
            // Killed after the model was written and its log deleted: nothing left to do.
            KatzTrigram done = KatzTrigramFile.read(req.out());
            System.out.println(req.out() + " is already complete: nothing to resume");
            return new Summary(needed * sampler.tokensPerBatch(), needed, (System.nanoTime() - start) / 1e9, done.bigramEntries(), done.trigramEntries());
        }
        TrigramCounts counts = new TrigramCounts(sampler.vocabSize());
        SampleLog log = req.resume() && Files.exists(logFile)
                ? SampleLog.resume(logFile, settings, sampler.vocabSize(), sampler.batch(), sampler.length(), counts::addSequence)
                : SampleLog.create(logFile, settings, sampler.vocabSize(), sampler.batch(), sampler.length());
        int batches = log.batches();
        if (batches > 0) System.out.println("resuming: " + batches + " of " + needed + " batches already sampled");
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("sampling draft").setInitialMax(req.tokens())
                .setStyle(ProgressBarStyle.ASCII).setUnit(" tok", 1).showSpeed().build()) {
            bar.stepTo(Math.min((long) batches * sampler.tokensPerBatch(), req.tokens()));
            while (batches < needed) {
                int[][] sequences = new int[sampler.batch()][];
                int[] next = {0};
                sampler.sampleBatch(req.seed() + batches, seq -> sequences[next[0]++] = seq);
                log.append(sequences);
                for (int[] seq : sequences) counts.addSequence(seq);
                batches++;
                bar.stepTo(Math.min((long) batches * sampler.tokensPerBatch(), req.tokens()));
            }
        } catch (RuntimeException | Error e) {
            log.close();
            throw e;
        }
        KatzTrigram model = KatzTrigram.build(counts, req.config());
        KatzTrigramFile.write(model, req.out());
        log.delete();
        return new Summary((long) batches * sampler.tokensPerBatch(), batches, (System.nanoTime() - start) / 1e9, model.bigramEntries(),
                model.trigramEntries());
    }
}

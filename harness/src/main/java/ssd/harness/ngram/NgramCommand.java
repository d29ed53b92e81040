package ssd.harness.ngram;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.ngram.KatzConfig;
import ssd.harness.decode.RuntimeOptions;
import ssd.training.ngram.DraftSampler;
import ssd.training.ngram.NgramFit;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ssd ngram fit}: the draft-squared stage, a Katz trigram fit on text sampled from the draft. */
@Command(name = "ngram", mixinStandardHelpOptions = true, description = "Fit the n-gram (draft-squared) stage.",
        subcommands = NgramCommand.Fit.class)
public final class NgramCommand extends ssd.harness.CommandGroup {
    @Command(name = "fit", mixinStandardHelpOptions = true,
            description = "Sample N tokens from the draft (batched) and fit a Katz back-off trigram on them.")
    static final class Fit implements Callable<Integer> {
        @Option(names = "--draft", required = true, description = "draft checkpoint directory")
        Path draft;

        @Option(names = "--tokens", required = true, description = "tokens to sample (the paper used 120M)")
        long tokens;

        @Option(names = "--temperature", defaultValue = "1.5", description = "sampling temperature (default: ${DEFAULT-VALUE}, as the paper)")
        double temperature;

        @Option(names = "--batch", defaultValue = "1024",
                description = "sequences sampled at once: larger batches amortise each step's kernel launches (default: ${DEFAULT-VALUE})")
        int batch;

        @Option(names = "--length", defaultValue = "256", description = "tokens per sampled sequence (default: ${DEFAULT-VALUE})")
        int length;

        @Option(names = "--min-bigram", defaultValue = "1", description = "drop bigrams seen fewer times (default: ${DEFAULT-VALUE})")
        int minBigram;

        @Option(names = "--min-trigram", defaultValue = "2", description = "drop trigrams seen fewer times (default: ${DEFAULT-VALUE})")
        int minTrigram;

        @Option(names = "--seed", defaultValue = "0")
        long seed;

        @Option(names = "--out", required = true, description = "trigram file to write")
        Path out;

        @Option(names = "--resume", description = "continue the fit that was interrupted (its sampled batches are logged in OUT.samples.partial)")
        boolean resume;

        @Mixin
        RuntimeOptions runtime;

        @Override
        public Integer call() throws Exception {
            if (tokens < 1) throw new IllegalArgumentException("--tokens must be positive, got " + tokens);
            try (GPT2Model model = runtime.load(draft); // applies --threads
                 DraftSampler sampler = new DraftSampler(model, batch, length, temperature)) {
                NgramFit.Summary s = NgramFit.run(sampler, new NgramFit.Request(draft.toAbsolutePath().normalize().toString(), tokens,
                        seed, new KatzConfig(5, minBigram, minTrigram), out, resume));
                String resumed = s.resumedBatches() == 0 ? "" : String.format(Locale.ROOT, " (%d read back from the sample log)", s.resumedBatches());
                System.out.printf(Locale.ROOT, "sampled %,d tokens in %d batches of %d x %d%s, %.1f s (%.0f tokens/s, counting included); "
                                + "Katz fit and write %.1f s; kept %,d bigrams, %,d trigrams; wrote %s (%,d bytes)%n",
                        s.sampledTokens(), s.batches(), batch, length - 1, resumed, s.samplingSeconds(), s.tokensPerSecond(), s.buildSeconds(),
                        s.bigramEntries(), s.trigramEntries(), out, java.nio.file.Files.size(out));
            }
            return 0;
        }
    }
}

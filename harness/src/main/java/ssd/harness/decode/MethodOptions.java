package ssd.harness.decode;

import picocli.CommandLine.Option;
import ssd.decoder.decoding.BaselineDecoder;
import ssd.decoder.decoding.Decoder;
import ssd.decoder.decoding.SamplingConfig;
import ssd.decoder.decoding.SpeculativeDecoder;
import ssd.decoder.decoding.StagedConfig;
import ssd.decoder.decoding.StagedDecoder;
import ssd.decoder.forward.Forward;
import ssd.decoder.ngram.KatzTrigram;
import ssd.decoder.ngram.KatzTrigramFile;

import java.io.IOException;
import java.nio.file.Path;

/** Which decoding method, its models and knobs, and the sampling settings; shared by generate and bench-decode. */
public final class MethodOptions {
    @Option(names = "--draft", description = "draft checkpoint directory (speculative, staged)")
    Path draft;

    @Option(names = "--ngram", description = "Katz trigram file (staged's second stage; without it staged uses the draft tree only)")
    Path ngram;

    @Option(names = "--gamma", defaultValue = "4", description = "speculative: tokens the draft proposes per round (default: ${DEFAULT-VALUE})")
    int gamma;

    @Option(names = "--tree-budget", defaultValue = "auto",
            description = "staged: tokens in the oracle's batch, root included, or auto: up to 64, levels and batch chosen each round from "
                    + "measured costs and the draft's probabilities (default: ${DEFAULT-VALUE})")
    String treeBudget;

    @Option(names = "--top-k", defaultValue = "0", description = "sample from the k most likely tokens (0: all); with --temperature 0, greedy")
    int topK;

    @Option(names = "--temperature", defaultValue = "0", description = "0 for greedy decoding (default: ${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--seed", defaultValue = "0", description = "sampling seed (default: ${DEFAULT-VALUE})")
    long seed;

    public SamplingConfig sampling() {
        return new SamplingConfig(temperature, topK, seed);
    }

    public SamplingConfig sampling(long seedOverride) {
        return new SamplingConfig(temperature, topK, seedOverride);
    }

    public Path draft() {
        return draft;
    }

    public KatzTrigram loadNgram() throws IOException {
        return ngram == null ? null : KatzTrigramFile.read(ngram);
    }

    public StagedConfig stagedConfig() {
        return StagedConfig.parseBudget(treeBudget);
    }

    public int gamma() {
        return gamma;
    }

    /** Builds the decoder for a method; the draft's forward must exist for speculative and staged. */
    public Decoder decoder(Method method, Forward oracle, Forward draft, KatzTrigram trigram) {
        switch (method) {
            case BASELINE:
                return new BaselineDecoder(oracle);
            case SPECULATIVE:
                requireDraft(method, draft);
                return SpeculativeDecoder.create(oracle, draft, gamma);
            case STAGED:
                requireDraft(method, draft);
                return StagedDecoder.create(oracle, draft, trigram, stagedConfig());
            default:
                throw new IllegalStateException("no decoder for " + method);
        }
    }

    private static void requireDraft(Method method, Forward draft) {
        if (draft == null) throw new IllegalArgumentException("--method " + method.flagName() + " needs --draft DIR");
    }
}

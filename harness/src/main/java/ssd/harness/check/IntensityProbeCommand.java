package ssd.harness.check;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import ssd.common.MachineInfo;
import ssd.decoder.decoding.Generation;
import ssd.decoder.decoding.StopConditions;
import ssd.decoder.cache.KVCache;
import ssd.decoder.decoding.Decoder;
import ssd.decoder.forward.Forward;
import ssd.decoder.forward.Logits;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.ngram.KatzTrigram;
import ssd.harness.decode.Method;
import ssd.harness.decode.MethodOptions;
import ssd.harness.decode.ModelSource;
import ssd.harness.decode.RuntimeOptions;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code ssd check intensity-probe}: what {@code ssd check intensity} runs under Nsight Compute. Each measured forward
 * (or decoding run) sits between two marker kernels ({@link ProbeMarker}); warm-up and graph capture happen outside
 * them. Prints one {@code ssd-probe} line per measured stretch, in order, for the parent to pair with the profile.
 */
@Command(name = "intensity-probe", hidden = true, mixinStandardHelpOptions = true,
        description = "The program ssd check intensity profiles (one forward per batch size, or decoding runs, between marker kernels).")
public final class IntensityProbeCommand implements Callable<Integer> {
    @Mixin
    ModelSource source;

    @Mixin
    RuntimeOptions runtime;

    @Mixin
    MethodOptions methodOptions;

    @Option(names = "--new-tokens", split = ",", defaultValue = "1,2,4,8,16,32,64,128")
    int[] newTokens;

    @Option(names = "--prefix", defaultValue = "128")
    int prefix;

    @Option(names = "--decode", description = "decoding runs of --methods instead of forwards")
    boolean decode;

    @Option(names = "--methods", split = ",", defaultValue = "baseline,speculative,staged")
    List<String> methods;

    @Option(names = "--prompt-tokens", split = ",", description = "the prompt for --decode (token ids)")
    int[] promptTokens;

    @Option(names = "--tokens", defaultValue = "32", description = "--decode: tokens generated in the measured run")
    int tokens;

    @Override
    public Integer call() throws Exception {
        runtime.plan();
        System.out.println("ssd-probe machine " + MachineInfo.describe(runtime.deviceFlag()));
        return decode ? decodeRuns() : forwards();
    }

    private int forwards() {
        try (GPT2Model model = source.open(runtime); Forward forward = runtime.forward(model)) {
            int v = model.config().vocabSize(), max = 0;
            for (int n : newTokens) max = Math.max(max, n);
            SplittableRandom rng = new SplittableRandom(7);
            try (KVCache cache = forward.newCache(max)) {
                forward.run(cache, rng.ints(prefix, 0, v).toArray(), GPT2Model.chain(prefix, -1)).close();
                cache.commit(KVCache.firstPending(prefix));
                for (int n : newTokens) {
                    int[] tokens = rng.ints(n, 0, v).toArray();
                    int[] parents = GPT2Model.chain(n, -1);
                    forward(forward, cache, tokens, parents); // warm-up: captures the bucket's graph outside the markers
                    ProbeMarker.launch(model.device());
                    forward(forward, cache, tokens, parents);
                    ProbeMarker.launch(model.device());
                    System.out.println("ssd-probe forward rows=" + n + " prefix=" + prefix);
                }
            }
        }
        return 0;
    }

    private static void forward(Forward forward, KVCache cache, int[] tokens, int[] parents) {
        try (Logits l = forward.run(cache, tokens, parents)) {
            l.argmax(0);
        }
        cache.discardPending();
    }

    /** Per method: a run of --tokens, then a run of 1 token; their difference is the decoding without the prompt. */
    private int decodeRuns() throws Exception {
        if (promptTokens == null || source.modelPath() == null) throw new IllegalArgumentException("--decode needs --model DIR and --prompt-tokens");
        KatzTrigram trigram = methodOptions.loadNgram();
        try (GPT2Model oracle = runtime.load(source.modelPath()); Forward oracleForward = runtime.forward(oracle);
             GPT2Model draft = methodOptions.draft() == null ? null : runtime.load(methodOptions.draft());
             Forward draftForward = draft == null ? null : runtime.forward(draft)) {
            for (String method : methods) {
                Decoder decoder = methodOptions.decoder(Method.parse(method, "method"), oracleForward, draftForward, trigram);
                decoder.warmUp(methodOptions.sampling());
                decoder.generate(promptTokens, methodOptions.sampling(), new StopConditions(tokens, -1, List.of())); // warm-up
                for (int n : new int[]{tokens, 1}) {
                    ProbeMarker.launch(oracle.device());
                    Generation g = decoder.generate(promptTokens, methodOptions.sampling(), new StopConditions(n, -1, List.of()));
                    ProbeMarker.launch(oracle.device());
                    System.out.println("ssd-probe decode method=" + method + " tokens=" + g.tokens().length + " bytes_read=" + g.stats().bytesRead());
                }
            }
        }
        return 0;
    }
}

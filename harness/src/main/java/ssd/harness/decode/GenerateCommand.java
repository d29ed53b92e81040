package ssd.harness.decode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import ssd.decoder.decoding.Generation;
import ssd.decoder.decoding.StopConditions;
import ssd.decoder.forward.Forward;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.ngram.KatzTrigram;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ssd generate}: one completion from a checkpoint with any method, as text or as one JSON object. */
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Generate a completion for one prompt.")
public final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "oracle checkpoint directory (config.json + safetensors)")
    Path model;

    @Option(names = "--method", defaultValue = "baseline", description = "baseline, speculative or staged (default: ${DEFAULT-VALUE})")
    String methodName;

    @Mixin
    PromptOptions prompt;

    @Option(names = "--max-new-tokens", defaultValue = "64", description = "default: ${DEFAULT-VALUE}")
    int maxNewTokens;

    @Option(names = "--stop", description = "stop string (repeatable); the text is cut before it")
    List<String> stopStrings = List.of();

    @Option(names = "--eos", defaultValue = "50256", description = "end-of-text token id, -1 for none (default: ${DEFAULT-VALUE})")
    int eos;

    @Mixin
    MethodOptions methodOptions;

    @Mixin
    RuntimeOptions runtime;

    @Option(names = "--json", description = "print one JSON object (tokens, origins, stats) instead of the text")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Method method = Method.parse(methodName, "--method");
        runtime.plan(); // refuses a bad combination before anything is loaded
        int[] promptTokens = prompt.tokens();
        StopConditions stop = new StopConditions(maxNewTokens, eos, stopStrings);
        KatzTrigram trigram = methodOptions.loadNgram();
        boolean needsDraft = method.needsDraft() && methodOptions.draft() != null;
        try (GPT2Model oracle = runtime.load(model); Forward oracleForward = runtime.forward(oracle);
             GPT2Model draft = needsDraft ? runtime.load(methodOptions.draft()) : null;
             Forward draftForward = draft == null ? null : runtime.forward(draft)) {
            Generation g = methodOptions.decoder(method, oracleForward, draftForward, trigram).generate(promptTokens, methodOptions.sampling(), stop);
            System.out.println(json ? GenerationJson.toJson(g) : g.text());
        }
        return 0;
    }
}

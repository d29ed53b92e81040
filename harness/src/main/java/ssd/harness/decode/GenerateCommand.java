package ssd.harness.decode;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import ssd.decoder.decoding.BaselineDecoder;
import ssd.decoder.decoding.Decoder;
import ssd.decoder.decoding.Generation;
import ssd.decoder.decoding.SamplingConfig;
import ssd.decoder.decoding.StopConditions;
import ssd.decoder.model.GPT2Model;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ssd generate}: one completion from a checkpoint, as text or as one JSON object. */
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Generate a completion for one prompt.")
public final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "oracle checkpoint directory (config.json + safetensors)")
    Path model;

    @Mixin
    PromptOptions prompt;

    @Option(names = "--max-new-tokens", defaultValue = "64", description = "default: ${DEFAULT-VALUE}")
    int maxNewTokens;

    @Option(names = "--stop", description = "stop string (repeatable); the text is cut before it")
    List<String> stopStrings = List.of();

    @Option(names = "--eos", defaultValue = "50256", description = "end-of-text token id, -1 for none (default: ${DEFAULT-VALUE})")
    int eos;

    @Mixin
    RuntimeOptions runtime;

    @Option(names = "--json", description = "print one JSON object instead of the text")
    boolean json;

    @Override
    public Integer call() throws Exception {
        int[] promptTokens = prompt.tokens();
        StopConditions stop = new StopConditions(maxNewTokens, eos, stopStrings);
        try (GPT2Model oracle = GPT2Model.load(model, runtime.dtype(), runtime.device())) {
            Decoder decoder = new BaselineDecoder(oracle);
            Generation g = decoder.generate(promptTokens, SamplingConfig.greedy(), stop);
            if (json) System.out.println(toJson(g));
            else System.out.println(g.text());
        }
        return 0;
    }

    static String toJson(Generation g) throws Exception {
        ObjectMapper m = new ObjectMapper();
        ObjectNode o = m.createObjectNode();
        o.set("prompt_tokens", m.valueToTree(g.promptTokens()));
        o.set("tokens", m.valueToTree(g.tokens()));
        o.put("text", g.text());
        o.put("ms_per_token", g.msPerToken());
        o.put("stop_reason", g.stopReason().name().toLowerCase());
        return m.writeValueAsString(o);
    }
}

package ssd.harness.experiment;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import ssd.datasets.prompts.PromptSet;
import ssd.common.MachineInfo;
import ssd.decoder.decoding.Decoder;
import ssd.decoder.decoding.StopConditions;
import ssd.decoder.forward.Forward;
import ssd.decoder.forward.ForwardPlan;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.ngram.KatzTrigram;
import ssd.decoder.tokenizer.Gpt2Tokenizer;
import ssd.harness.decode.Method;
import ssd.harness.decode.MethodOptions;
import ssd.harness.decode.RuntimeOptions;
import ssd.harness.results.Invocation;
import ssd.harness.results.Provenance;
import ssd.harness.results.ResultFiles;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ssd bench-decode}: every method on every prompt ({@link DecodeExperiment}), one JSONL record per (prompt,
 * method) ({@link DecodeRecord}), then the summary ({@link BenchSummary}).
 */
@Command(name = "bench-decode", mixinStandardHelpOptions = true,
        description = "Run decoding methods over a prompt set; record results and print throughput.")
public final class BenchDecodeCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "oracle checkpoint directory")
    Path model;

    @Option(names = "--methods", split = ",", defaultValue = "baseline,speculative,staged", description = "default: ${DEFAULT-VALUE}")
    List<String> methodNames;

    @Option(names = "--max-new-tokens", defaultValue = "128", description = "default: ${DEFAULT-VALUE}")
    int maxNewTokens;

    @Option(names = "--out", description = "results JSONL (a .provenance.json is written beside it)")
    Path out;

    @Option(names = "--resume", description = "keep the records already in --out and run only what is missing")
    boolean resume;

    @Mixin
    PromptChoice promptChoice;

    @Mixin
    MethodOptions methodOptions;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() throws Exception {
        List<Method> methods = methodNames.stream().map(m -> Method.parse(m, "method")).distinct().toList();
        ForwardPlan plan = runtime.plan(); // refuses a bad combination before anything is loaded
        PromptSet prompts = promptChoice.load();
        KatzTrigram trigram = methodOptions.loadNgram();
        String machine = MachineInfo.describe(runtime.deviceFlag());
        boolean needsDraft = methods.stream().anyMatch(Method::needsDraft) && methodOptions.draft() != null;
        try (GPT2Model oracle = runtime.load(model); Forward oracleForward = runtime.forward(oracle);
             GPT2Model draft = needsDraft ? runtime.load(methodOptions.draft()) : null;
             Forward draftForward = draft == null ? null : runtime.forward(draft)) {
            // The baseline first: the other methods' greedy runs are compared with its tokens as they finish.
            Map<Method, Decoder> decoders = new LinkedHashMap<>();
            if (methods.contains(Method.BASELINE)) decoders.put(Method.BASELINE, methodOptions.decoder(Method.BASELINE, oracleForward, draftForward, trigram));
            for (Method m : methods) decoders.putIfAbsent(m, methodOptions.decoder(m, oracleForward, draftForward, trigram));
            StopConditions stop = new StopConditions(maxNewTokens, Gpt2Tokenizer.END_OF_TEXT, List.of());
            DecodeExperiment experiment = new DecodeExperiment(new DecodeExperiment.Setup(oracle, draft, plan, machine, methodOptions.gamma(),
                    methodOptions.stagedConfig().describe()), decoders, stop);
            for (int n : new int[]{1, methodOptions.gamma() + 1, methodOptions.stagedConfig().treeBudget(), 128}) {
                System.out.printf("oracle batch of %d rows: %s%n", n, oracleForward.pathFor(n));
            }
            experiment.warmUp(methodOptions.sampling(), System.out);
            Path log = out != null ? out : DecodeExperiment.defaultLog();
            ResultFiles.writeProvenance(log, Provenance.of(Invocation.get(), machine));
            BenchSummary summary = new BenchSummary(List.copyOf(decoders.keySet()));
            String memoryReport;
            try (ResultsLog results = ResultsLog.open(log, resume)) {
                memoryReport = experiment.run(prompts, methodOptions.sampling(), results, summary);
            }
            summary.print(System.out, String.format("%s prompts (%d), %s, %s on %s", prompts.name(), prompts.size(),
                    methodOptions.sampling().describe(), plan.summary(), machine), methodOptions.sampling().isGreedy());
            if (memoryReport != null) System.out.println(memoryReport);
            System.out.println("wrote " + log);
        }
        return 0;
    }
}

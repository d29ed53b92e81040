package ssd.harness.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.bytedeco.javacpp.Pointer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import ssd.datasets.prompts.Prompt;
import ssd.datasets.prompts.PromptSet;
import ssd.decoder.bench.MachineInfo;
import ssd.decoder.decoding.Decoder;
import ssd.decoder.decoding.Generation;
import ssd.decoder.decoding.GreedyDivergence;
import ssd.decoder.decoding.SamplingConfig;
import ssd.decoder.decoding.StopConditions;
import ssd.decoder.decoding.TokenOrigin;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.model.GpuMemory;
import ssd.decoder.ngram.KatzTrigram;
import ssd.decoder.tokenizer.Gpt2Tokenizer;
import ssd.harness.decode.GenerationJson;
import ssd.harness.decode.MethodOptions;
import ssd.harness.decode.RuntimeOptions;
import ssd.harness.results.Invocation;
import ssd.harness.results.Provenance;
import ssd.harness.results.ResultFiles;
import ssd.roofline.trace.TraceJson;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code ssd bench-decode}: every method on every prompt, interleaved per prompt, one JSONL record per (prompt,
 * method) with tokens, origins, stats and a roofline trace. Prints tokens/s, accepted tokens per oracle call and the
 * origin mix per method, and checks that greedy outputs agree across methods.
 */
@Command(name = "bench-decode", mixinStandardHelpOptions = true,
        description = "Run decoding methods over a prompt set; record results and print throughput.")
public final class BenchDecodeCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--model", required = true, description = "oracle checkpoint directory")
    Path model;

    @Option(names = "--methods", split = ",", defaultValue = "baseline,speculative,staged", description = "default: ${DEFAULT-VALUE}")
    List<String> methods;

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
        for (String m : methods) {
            if (!List.of("baseline", "speculative", "staged").contains(m)) {
                throw new IllegalArgumentException("unknown method '" + m + "' in --methods: expected baseline, speculative or staged");
            }
        }
        runtime.forwardMode(); // refuses a bad combination before anything is loaded
        PromptSet prompts = promptChoice.load();
        KatzTrigram trigram = methodOptions.loadNgram();
        String machine = MachineInfo.describe(runtime.deviceFlag());
        boolean needsDraft = methods.stream().anyMatch(m -> !m.equals("baseline"));
        try (GPT2Model oracle = runtime.configure(GPT2Model.load(model, runtime.dtype(), runtime.device()));
             GPT2Model draft = needsDraft && methodOptions.draft() != null
                     ? runtime.configure(GPT2Model.load(methodOptions.draft(), runtime.dtype(), runtime.device())) : null) {
            Map<String, Decoder> decoders = new LinkedHashMap<>();
            // The baseline first: the other methods' greedy runs are compared with its tokens as they finish.
            for (String m : methods) if (m.equals("baseline")) decoders.put(m, methodOptions.decoder(m, oracle, draft, trigram));
            for (String m : methods) if (!decoders.containsKey(m)) decoders.put(m, methodOptions.decoder(m, oracle, draft, trigram));
            StopConditions stop = new StopConditions(maxNewTokens, Gpt2Tokenizer.END_OF_TEXT, List.of());
            warmUp(decoders, stop);
            Path log = out != null ? out : Path.of("results", "local", "bench-decode.jsonl");
            ResultFiles.writeProvenance(log, Provenance.of(Invocation.get(), machine));
            Summary summary = new Summary(methods);
            String memoryReport = null;
            try (ResultsLog results = ResultsLog.open(log, resume);
                 ProgressBar bar = new ProgressBarBuilder().setTaskName("decoding").setInitialMax((long) prompts.size() * methods.size())
                         .setStyle(ProgressBarStyle.ASCII).showSpeed().setUnit(" runs", 1).build()) {
                for (JsonNode n : results.existing()) summary.add(n);
                MemorySample first = null, halfWay = null;
                for (int i = 0; i < prompts.size(); i++) {
                    Prompt p = prompts.prompts().get(i);
                    int[] promptTokens = Gpt2Tokenizer.get().encode(p.prompt());
                    for (Map.Entry<String, Decoder> e : decoders.entrySet()) {
                        if (!results.isDone(p.taskId(), e.getKey())) {
                            SamplingConfig sampling = methodOptions.sampling(methodOptions.sampling().seed() + i);
                            Generation g = e.getValue().generate(promptTokens, sampling, stop);
                            ObjectNode record = record(p, e.getKey(), sampling, g, oracle, draft, machine);
                            if (sampling.isGreedy() && !e.getKey().equals("baseline")) {
                                int[] baseline = summary.tokens(p.taskId(), "baseline");
                                GreedyDivergence d = baseline == null ? null : GreedyDivergence.find(oracle, promptTokens, baseline, g.tokens());
                                if (d != null) record.set("greedy_divergence", divergenceJson(d));
                            }
                            results.append(record);
                            summary.add(record);
                        }
                        bar.step();
                    }
                    // A decode loop must not grow native memory without bound (every tensor it makes is freed by
                    // a PointerScope): RSS after the first prompt, half way and at the end shows warm-up vs a leak.
                    if (i == 0) first = MemorySample.take(oracle);
                    if (i == prompts.size() / 2) halfWay = MemorySample.take(oracle);
                    if (i == prompts.size() - 1 && i > 1) memoryReport = MemorySample.report(first, halfWay, MemorySample.take(oracle), prompts.size() / 2 + 1);
                }
            }
            summary.print(prompts, machine, runtime.dtype().flagName(), methodOptions.sampling());
            if (memoryReport != null) System.out.println(memoryReport);
            System.out.println("wrote " + log);
        }
        return 0;
    }

    /** Process RSS and, for CUDA models, device memory in use, at one moment of the run. */
    private record MemorySample(long rss, long gpu) {
        static MemorySample take(GPT2Model model) {
            return new MemorySample(Pointer.physicalBytes(), model.device().is_cuda() ? GpuMemory.usedBytes() : -1);
        }

        /** First, half way and last: a leak keeps growing over the second half, warm-up does not. */
        static String report(MemorySample first, MemorySample half, MemorySample last, int halfPrompt) {
            String s = String.format(Locale.ROOT, "process RSS: %.0f MB after the first prompt, %.0f MB after prompt %d, %.0f MB after the last "
                    + "(%+.0f MB over the second half)", first.rss / 1e6, half.rss / 1e6, halfPrompt, last.rss / 1e6, (last.rss - half.rss) / 1e6);
            if (first.gpu < 0) return s;
            return s + String.format(Locale.ROOT, "%nGPU memory in use: %.0f / %.0f / %.0f MB (%+.0f MB over the second half)",
                    first.gpu / 1e6, half.gpu / 1e6, last.gpu / 1e6, (last.gpu - half.gpu) / 1e6);
        }
    }

    private void warmUp(Map<String, Decoder> decoders, StopConditions stop) {
        int[] prompt = Gpt2Tokenizer.get().encode("def warm_up():\n    return");
        for (Decoder d : decoders.values()) d.generate(prompt, methodOptions.sampling(), new StopConditions(8, stop.eosToken(), List.of()));
    }

    private ObjectNode record(Prompt p, String method, SamplingConfig sampling, Generation g, GPT2Model oracle, GPT2Model draft,
                              String machine) {
        ObjectNode r = JSON.createObjectNode();
        r.put("task_id", p.taskId());
        r.put("method", method);
        r.put("device", machine);
        r.put("dtype", runtime.dtype().flagName());
        ObjectNode s = r.putObject("sampling");
        s.put("temperature", sampling.temperature());
        s.put("top_k", sampling.topK());
        s.put("seed", sampling.seed());
        r.put("prompt_token_count", g.promptTokens().length);
        r.setAll(GenerationJson.of(g));
        r.remove("prompt_tokens");
        r.put("seconds", g.stats().totalNanos() / 1e9);
        r.put("rss_bytes", Pointer.physicalBytes()); // native-memory flatness across runs, see the summary line
        r.put("jvm_heap_bytes", Runtime.getRuntime().totalMemory());
        if (oracle.device().is_cuda()) r.put("gpu_used_bytes", GpuMemory.usedBytes());
        r.set("trace", TraceJson.toJson(Traces.of(method, g, oracle.config(), draft == null ? null : draft.config(), runtime.dtype().flagName())));
        return r;
    }

    /** Where a greedy run first left the baseline's tokens, and whether the oracle's logits there make it a tie. */
    static ObjectNode divergenceJson(GreedyDivergence d) {
        ObjectNode n = JSON.createObjectNode();
        n.put("position", d.position());
        n.put("baseline_token", d.baselineToken());
        n.put("token", d.token());
        if (Float.isNaN(d.logitGap())) n.putNull("logit_gap");
        else n.put("logit_gap", d.logitGap());
        n.put("tie_tolerance", d.tolerance());
        n.put("verdict", d.verdict().name().toLowerCase(Locale.ROOT));  // results before 2026-11-27 10:00 also carry "tie"
        return n;
    }

    /** Per-method totals, and greedy agreement with the baseline per prompt. */
    static final class Summary {
        final List<String> methods;
        final Map<String, double[]> totals = new LinkedHashMap<>(); // tokens, seconds, accepted-sum, calls
        final Map<String, long[]> origins = new LinkedHashMap<>();
        final Map<String, Map<String, List<Integer>>> tokens = new LinkedHashMap<>();
        /** "task method" of the runs whose divergence from the baseline is not the method's (tie or baseline off the reference). */
        final Set<String> explained = new HashSet<>();

        Summary(List<String> methods) {
            this.methods = methods;
            for (String m : methods) {
                totals.put(m, new double[4]);
                origins.put(m, new long[TokenOrigin.values().length]);
            }
        }

        void add(JsonNode r) {
            String m = r.path("method").asText();
            if (!totals.containsKey(m)) return;
            double[] t = totals.get(m);
            JsonNode toks = r.path("tokens");
            t[0] += toks.size();
            t[1] += r.path("seconds").asDouble();
            int calls = r.path("stats").path("oracle_forwards").asInt();
            t[2] += r.path("stats").path("mean_accepted_per_oracle_call").asDouble() * calls;
            t[3] += calls;
            for (JsonNode o : r.path("origins")) origins.get(m)[TokenOrigin.valueOf(o.asText()).ordinal()]++;
            List<Integer> list = new ArrayList<>();
            toks.forEach(x -> list.add(x.asInt()));
            tokens.computeIfAbsent(r.path("task_id").asText(), k -> new LinkedHashMap<>()).put(m, list);
            String verdict = r.path("greedy_divergence").path("verdict").asText("");
            if (verdict.equals("tie") || verdict.equals("reference_prefers_method")) explained.add(r.path("task_id").asText() + " " + m);
        }

        /** The tokens {@code method} generated for {@code task}, or null if it has not run. */
        int[] tokens(String task, String method) {
            List<Integer> t = tokens.getOrDefault(task, Map.of()).get(method);
            return t == null ? null : t.stream().mapToInt(Integer::intValue).toArray();
        }

        void print(PromptSet prompts, String machine, String dtype, SamplingConfig sampling) {
            System.out.printf(Locale.ROOT, "%s prompts (%d), %s, %s on %s%n", prompts.name(), prompts.size(), sampling.describe(), dtype, machine);
            System.out.printf(Locale.ROOT, "%-12s %10s %10s %12s %10s %22s%n", "method", "tokens", "tokens/s", "vs baseline", "acc/call", "origin n-gram/draft/oracle");
            double base = rate("baseline");
            for (String m : methods) {
                double[] t = totals.get(m);
                long[] o = origins.get(m);
                long all = Math.max(1, Arrays.stream(o).sum());
                System.out.printf(Locale.ROOT, "%-12s %10.0f %10.2f %12s %10.2f %8.1f%%/%5.1f%%/%5.1f%%%n", m, t[0], rate(m),
                        base > 0 ? String.format(Locale.ROOT, "%.2fx", rate(m) / base) : "-", t[3] == 0 ? 0 : t[2] / t[3],
                        100.0 * o[TokenOrigin.NGRAM.ordinal()] / all, 100.0 * o[TokenOrigin.DRAFT.ordinal()] / all, 100.0 * o[TokenOrigin.ORACLE.ordinal()] / all);
            }
            if (sampling.isGreedy() && methods.contains("baseline")) System.out.println(greedyAgreement());
        }

        /**
         * Whether greedy runs gave the baseline's tokens: yes; yes up to rounding (every differing run parts from the
         * baseline at a numerical tie, or where the reference forward prefers the method's token: see
         * {@link GreedyDivergence}); or NO, with how many runs differ in a way rounding does not explain.
         */
        String greedyAgreement() {
            int differing = 0, fine = 0;
            for (Map.Entry<String, Map<String, List<Integer>>> task : tokens.entrySet()) {
                List<Integer> ref = task.getValue().get("baseline");
                for (Map.Entry<String, List<Integer>> run : task.getValue().entrySet()) {
                    if (ref == null || ref.equals(run.getValue())) continue;
                    differing++;
                    if (explained.contains(task.getKey() + " " + run.getKey())) fine++;
                }
            }
            if (differing == 0) return "greedy outputs identical to the baseline: yes";
            if (fine == differing) {
                return String.format(Locale.ROOT, "greedy outputs identical to the baseline up to rounding: yes (%d runs part from it at a "
                        + "numerical tie or where the reference forward prefers their token; see greedy_divergence in the results)", fine);
            }
            return String.format(Locale.ROOT, "greedy outputs identical to the baseline: NO (%d differing runs, %d of them not explained by rounding)",
                    differing, differing - fine);
        }

        double rate(String m) {
            double[] t = totals.get(m);
            return t == null || t[1] == 0 ? 0 : t[0] / t[1];
        }
    }
}

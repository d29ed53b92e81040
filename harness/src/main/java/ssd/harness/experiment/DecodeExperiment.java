package ssd.harness.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.bytedeco.javacpp.Pointer;
import ssd.datasets.prompts.Prompt;
import ssd.datasets.prompts.PromptSet;
import ssd.decoder.decoding.Decoder;
import ssd.decoder.decoding.Generation;
import ssd.decoder.decoding.GreedyDivergence;
import ssd.decoder.decoding.SamplingConfig;
import ssd.decoder.decoding.StopConditions;
import ssd.decoder.forward.ForwardPlan;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.tokenizer.Gpt2Tokenizer;
import ssd.decoder.torch.GpuMemory;
import ssd.harness.decode.Method;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The bench-decode loop: every method on every prompt, interleaved per prompt (so methods see the same machine
 * state), after a warm-up that builds every graph any prompt will use. One record per (prompt, method) appended as it
 * finishes; an interrupted run resumes where it stopped. Greedy runs are compared with the baseline's tokens as they
 * finish, and process (and GPU) memory is sampled after the first prompt, half way and at the end.
 */
final class DecodeExperiment {
    /** What does not change from run to run: the models, the plan and the method knobs that records carry. */
    record Setup(GPT2Model oracle, GPT2Model draft, ForwardPlan plan, String machine, int gamma, String treeBudget) {
    }

    private final Setup setup;
    private final Map<Method, Decoder> decoders;
    private final StopConditions stop;

    DecodeExperiment(Setup setup, Map<Method, Decoder> decoders, StopConditions stop) {
        this.setup = setup;
        this.decoders = decoders;
        this.stop = stop;
    }

    /** Builds and captures every forward the runs will use, then runs each method once on a short prompt (JIT). */
    void warmUp(SamplingConfig sampling, PrintStream log) {
        long t0 = System.nanoTime();
        for (Decoder d : decoders.values()) d.warmUp(sampling);
        int[] prompt = Gpt2Tokenizer.get().encode("def warm_up():\n    return");
        for (Decoder d : decoders.values()) d.generate(prompt, sampling, new StopConditions(8, stop.eosToken(), List.of()));
        log.printf(Locale.ROOT, "warm-up: every graph bucket built and each method run once, %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    /** Runs what {@code results} lacks; returns the memory report line (null for fewer than three prompts). */
    String run(PromptSet prompts, SamplingConfig base, ResultsLog results, BenchSummary summary) throws IOException {
        for (JsonNode n : results.existing()) summary.add(n);
        String report = null;
        MemorySample first = null, halfWay = null;
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("decoding").setInitialMax((long) prompts.size() * decoders.size())
                .setStyle(ProgressBarStyle.ASCII).showSpeed().setUnit(" runs", 1).build()) {
            for (int i = 0; i < prompts.size(); i++) {
                Prompt p = prompts.prompts().get(i);
                int[] promptTokens = Gpt2Tokenizer.get().encode(p.prompt());
                SamplingConfig sampling = new SamplingConfig(base.temperature(), base.topK(), base.seed() + i);
                for (Map.Entry<Method, Decoder> e : decoders.entrySet()) {
                    if (!results.isDone(p.taskId(), e.getKey().flagName())) {
                        Generation g = e.getValue().generate(promptTokens, sampling, stop);
                        DecodeRecord record = record(p, e.getKey(), sampling, promptTokens, g, summary);
                        results.append(record.toJson());
                        summary.add(record.toJson());
                    }
                    bar.step();
                }
                // A decode loop must not grow native memory without bound (every tensor it makes is freed by
                // a PointerScope): RSS after the first prompt, half way and at the end shows warm-up vs a leak.
                if (i == 0) first = MemorySample.take(setup.oracle());
                if (i == prompts.size() / 2) halfWay = MemorySample.take(setup.oracle());
                if (i == prompts.size() - 1 && i > 1) report = MemorySample.report(first, halfWay, MemorySample.take(setup.oracle()), prompts.size() / 2 + 1);
            }
        }
        return report;
    }

    private DecodeRecord record(Prompt p, Method method, SamplingConfig sampling, int[] promptTokens, Generation g, BenchSummary summary) {
        GreedyDivergence d = null;
        if (sampling.isGreedy() && method != Method.BASELINE) {
            int[] baseline = summary.tokens(p.taskId(), Method.BASELINE);
            d = baseline == null ? null : GreedyDivergence.find(setup.oracle(), promptTokens, baseline, g.tokens());
        }
        GPT2Config draftConfig = setup.draft() == null ? null : setup.draft().config();
        long gpu = setup.oracle().device().is_cuda() ? GpuMemory.usedBytes() : -1;
        return new DecodeRecord(p.taskId(), method, setup.machine(), setup.plan(), sampling, setup.gamma(), setup.treeBudget(), g,
                Traces.of(method.flagName(), g, setup.oracle().config(), draftConfig, setup.plan().dtype().flagName()),
                new DecodeRecord.MemoryUse(Pointer.physicalBytes(), Runtime.getRuntime().totalMemory(), gpu), d);
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

    static Path defaultLog() {
        return Path.of("results", "local", "bench-decode.jsonl");
    }
}

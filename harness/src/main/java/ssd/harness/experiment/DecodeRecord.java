package ssd.harness.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ssd.decoder.decoding.Generation;
import ssd.decoder.decoding.GreedyDivergence;
import ssd.decoder.decoding.SamplingConfig;
import ssd.decoder.forward.ForwardPlan;
import ssd.harness.decode.GenerationJson;
import ssd.harness.decode.Method;
import ssd.roofline.trace.DecodingTrace;
import ssd.roofline.trace.TraceJson;

import java.util.Locale;
import java.util.Map;

/**
 * One bench-decode results record: a (prompt, method) run with its tokens, origins and statistics, what ran it (the
 * forward plan, the method's knobs, the sampling settings) and the process's memory after it. The schema of the
 * results JSONL in one place; {@code paper-tables}' DecodeJsonl reads it.
 *
 * @param divergence where a greedy run first left the baseline's tokens (null if it did not, or not greedy)
 */
public record DecodeRecord(String taskId, Method method, String device, ForwardPlan plan, SamplingConfig sampling, int gamma,
                           String treeBudget, Generation generation, DecodingTrace trace, MemoryUse memory, GreedyDivergence divergence) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Process and device memory right after a run (gpu -1 when the models are not on CUDA). */
    public record MemoryUse(long rssBytes, long jvmHeapBytes, long gpuUsedBytes) {
    }

    public ObjectNode toJson() {
        ObjectNode r = JSON.createObjectNode();
        r.put("task_id", taskId);
        r.put("method", method.flagName());
        r.put("device", device);
        r.put("dtype", plan.dtype().flagName());
        ObjectNode s = r.putObject("sampling");
        s.put("temperature", sampling.temperature());
        s.put("top_k", sampling.topK());
        s.put("seed", sampling.seed());
        ObjectNode fp = r.putObject("forward_plan");
        for (Map.Entry<String, Object> e : plan.describe().entrySet()) fp.putPOJO(e.getKey(), e.getValue());
        if (method == Method.SPECULATIVE) r.put("gamma", gamma);
        if (method == Method.STAGED) r.put("tree_budget", treeBudget);
        r.put("prompt_token_count", generation.promptTokens().length);
        r.setAll(GenerationJson.of(generation));
        double total = generation.stats().totalNanos() / 1e9;
        double decode = (generation.stats().totalNanos() - generation.stats().prefillNanos()) / 1e9;
        r.put("seconds", total);
        // Decode-only: the prompt's forwards left out (the same for every method, and long prompts dominate short runs).
        r.put("decode_seconds", decode);
        r.put("rss_bytes", memory.rssBytes()); // native-memory flatness across runs, see the summary line
        r.put("jvm_heap_bytes", memory.jvmHeapBytes());
        if (memory.gpuUsedBytes() >= 0) r.put("gpu_used_bytes", memory.gpuUsedBytes());
        r.set("trace", TraceJson.toJson(trace));
        if (divergence != null) r.set("greedy_divergence", divergenceJson(divergence));
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
        n.put("verdict", d.verdict().name().toLowerCase(Locale.ROOT));
        return n;
    }
}

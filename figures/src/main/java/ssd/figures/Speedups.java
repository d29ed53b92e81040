package ssd.figures;

import ssd.tables.DecodeRun;
import ssd.tables.Sampling;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Figure 2's data: per sampling mode and setup (device, dtype), each prompt's speedup = method tokens/s / baseline
 * tokens/s of the same task, sorted by staged speedup (ascending); peers' runs (stock transformers decoding) the same
 * way, on the prompts they decoded. Prompts without a baseline are left out; where a task has several runs of a method
 * on one setup and mode, the last one read counts.
 */
public final class Speedups {
    private Speedups() {
    }

    public static Map<Sampling, Map<String, List<PromptSpeedup>>> of(List<DecodeRun> runs) {
        // mode -> setup -> task -> method -> tokens/s, keeping first-seen order throughout
        Map<Sampling, Map<String, Map<String, Map<String, Double>>>> grouped = new LinkedHashMap<>();
        java.util.Set<String> peerMethods = new java.util.LinkedHashSet<>();
        for (DecodeRun r : runs) {
            if (r.isPeer()) peerMethods.add(r.method());
            grouped.computeIfAbsent(r.sampling(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(FigureLabels.setup(r), k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.taskId(), k -> new LinkedHashMap<>()).put(r.method(), r.tokensPerSecond());
        }
        Map<Sampling, Map<String, List<PromptSpeedup>>> out = new LinkedHashMap<>();
        grouped.forEach((mode, setups) -> setups.forEach((setup, tasks) -> {
            List<PromptSpeedup> list = new ArrayList<>();
            tasks.forEach((task, tps) -> {
                Double base = tps.get("baseline");
                if (base == null) return;
                Map<String, Double> peers = new LinkedHashMap<>();
                for (String m : peerMethods) if (tps.containsKey(m)) peers.put(m, tps.get(m) / base);
                PromptSpeedup p = new PromptSpeedup(task, ratio(tps.get("staged"), base), ratio(tps.get("speculative"), base), peers);
                if (!Double.isNaN(p.sortKey())) list.add(p);
            });
            if (list.isEmpty()) return;
            list.sort(Comparator.comparingDouble(PromptSpeedup::sortKey));
            out.computeIfAbsent(mode, k -> new LinkedHashMap<>()).put(setup, List.copyOf(list));
        }));
        return out;
    }

    private static double ratio(Double method, double baseline) {
        return method == null ? Double.NaN : method / baseline;
    }
}

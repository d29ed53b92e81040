package ssd.harness.report;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/**
 * The committed report fixtures (src/test/resources/ssd/harness/report): excerpts of committed results, each with a
 * provenance sidecar naming where it was cut from. Three HumanEval prompts of the mini family on 2 CPU cores, greedy
 * and top-k; three on the H200 in fp16, greedy, two of whose runs part from the baseline at a tie or where the
 * reference prefers the method's token; and a CPU bench-forward CSV.
 */
final class ReportFixtures {
    static final Path CPU_GREEDY = fixture("cpu-greedy-3.jsonl.gz"), CPU_TOPK = fixture("cpu-topk50-3.jsonl.gz"),
            H200_GREEDY = fixture("h200-greedy-fp16-3.jsonl.gz"), FORWARD = fixture("bench-forward-cpu.csv");

    private ReportFixtures() {
    }

    private static Path fixture(String name) {
        URL url = ReportFixtures.class.getResource(name);
        if (url == null) throw new IllegalStateException("test fixture " + name + " is missing");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code ssd report} arguments for every fixture, writing to {@code out}. */
    static String[] reportArgs(Path out, String... more) {
        String[] base = {"report", "--results", CPU_GREEDY.toString(), "--results", CPU_TOPK.toString(), "--results", H200_GREEDY.toString(),
                "--forward", FORWARD.toString(), "--peak-tflops", "3.1", "--out", out.toString()};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }
}

package ssd.harness.reliability;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ssd.decoder.bench.ProcessRss;
import ssd.common.Dtype;
import ssd.decoder.model.GPT2Checkpoint;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Weights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Memory stays flat over many decoding rounds: `ssd bench-decode` in a child JVM runs 1,000 rounds (500 short prompts,
 * baseline and speculative) with a tiny model while this test samples the child's resident set from /proc. After a
 * warm-up of the first 100 rounds, RSS (the median of ten samples, so the JIT
 * compiler's brief arenas do not count) may not grow by more than {@link #BOUND_MB} by the end. The child's heap is fixed and
 * pre-touched, so what could grow is native memory (libtorch tensors a loop forgot to free) and Java objects that pile
 * up until the fixed heap fails.
 */
class DecodeMemoryTest {
    static final int PROMPTS = 500, WARM_UP_ROUNDS = 100;
    static final double BOUND_MB = 20;

    @TempDir
    Path dir;

    @Test
    void residentSetIsFlatOverAThousandRounds() throws Exception {
        Path oracle = dir.resolve("oracle"), draft = dir.resolve("draft");
        try (GPT2Weights o = GPT2Weights.random(GPT2Config.of(50257, 64, 32, 1, 2), 1, 0.3, new Device("cpu"), torch.ScalarType.Float);
             GPT2Weights d = GPT2Weights.random(GPT2Config.of(50257, 64, 16, 1, 2), 2, 0.3, new Device("cpu"), torch.ScalarType.Float)) {
            GPT2Checkpoint.save(oracle, o, Dtype.FP32, 0);
            GPT2Checkpoint.save(draft, d, Dtype.FP32, 0);
        }
        Path prompts = dir.resolve("prompts.jsonl");
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < PROMPTS; i++) {
            p.append(String.format(Locale.ROOT, "{\"task_id\": \"m/%d\", \"prompt\": \"def f%d(x):\\n    return x + %d\\n\", \"entry_point\": \"f%d\"}%n", i, i, i, i));
        }
        Files.writeString(prompts, p);
        Path results = dir.resolve("run.jsonl");
        ChildSsd decode = ChildSsd.of(dir.resolve("log.txt"), "bench-decode", "--model", oracle.toString(), "--draft", draft.toString(),
                "--prompts", prompts.toString(), "--methods", "baseline,speculative", "--gamma", "2", "--max-new-tokens", "2",
                "--out", results.toString())
                .withJvmOptions("-Xss8m", "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch");

        long t0 = System.nanoTime();
        Process child = decode.start();
        List<long[]> samples = new ArrayList<>(); // {rounds done, rss bytes}
        while (!child.waitFor(200, TimeUnit.MILLISECONDS)) {
            long rss = ProcessRss.bytes(child.pid());
            if (rss > 0) samples.add(new long[]{rounds(results), rss});
            if (System.nanoTime() - t0 > TimeUnit.MINUTES.toNanos(10)) {
                child.destroyForcibly();
                throw new AssertionError("bench-decode ran past 10 minutes; log " + decode.logText());
            }
        }
        assertThat(child.exitValue()).as(decode.logText()).isZero();
        assertThat(rounds(results)).isEqualTo(2 * PROMPTS);

        List<Long> after = new ArrayList<>();
        for (long[] s : samples) if (s[0] >= WARM_UP_ROUNDS) after.add(s[1]);
        assertThat(after.size()).as("RSS samples after warm-up").isGreaterThan(20);
        // Medians of the first and last ten samples: a leak is a trend; the JIT compiler's arenas are brief spikes.
        long atWarmUp = median(after.subList(0, 10)), atEnd = median(after.subList(after.size() - 10, after.size()));
        long max = after.stream().mapToLong(Long::longValue).max().orElseThrow();
        double growthMb = (atEnd - atWarmUp) / 1e6;
        System.out.printf(Locale.ROOT, "decode memory: %d rounds in %.0f s; RSS %.1f MB after %d rounds, %.1f MB at the end (%+.1f MB; "
                + "bound %.0f MB), highest %.1f MB%n", 2 * PROMPTS, (System.nanoTime() - t0) / 1e9, atWarmUp / 1e6, WARM_UP_ROUNDS,
                atEnd / 1e6, growthMb, BOUND_MB, max / 1e6);
        assertThat(growthMb).as("RSS growth after %d warm-up rounds", WARM_UP_ROUNDS).isLessThanOrEqualTo(BOUND_MB);

        // bench-decode's own report agrees: flat over the second half.
        Matcher m = Pattern.compile("\\(([+-]\\d+) MB over the second half\\)").matcher(decode.logText());
        assertThat(m.find()).as(decode.logText()).isTrue();
        assertThat(Double.parseDouble(m.group(1))).isLessThanOrEqualTo(BOUND_MB);
    }

    static long median(List<Long> v) {
        List<Long> sorted = new ArrayList<>(v);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    /** Complete records in the results file so far. */
    static long rounds(Path results) throws IOException {
        if (!Files.exists(results)) return 0;
        byte[] b = Files.readAllBytes(results);
        long n = 0;
        for (byte x : b) if (x == '\n') n++;
        return n;
    }
}

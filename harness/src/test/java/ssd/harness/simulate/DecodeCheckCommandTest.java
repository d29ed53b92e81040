package ssd.harness.simulate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ssd.harness.SsdRun;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** simulate check --results and simulate predict on the committed mini-family H200 records. */
class DecodeCheckCommandTest {
    private static final String RECORDS = "../results/h200/humaneval/humaneval-greedy-fp16-cuda-graph.jsonl.gz";
    private static final String DEVICE = "../results/h200/fused-kernels/h200-java-fused-graph-calibration.json";

    @Test
    void fittedHostTimePredictsEachMethodWithinTwentyPercent(@TempDir Path dir) {
        Path host = dir.resolve("host.json");
        SsdRun r = SsdRun.of("simulate", "check", "--results", RECORDS, "--device", DEVICE, "--host-out", host.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("PASS").contains("speculative").contains("staged").contains("per_draft_level");
        assertThat(host).exists();
        // Replayed on the RTX 4090 with that fit: both profiles, every method.
        SsdRun p = SsdRun.of("simulate", "predict", "--results", RECORDS, "--host", host.toString(), "--oracle", "gpt2-large", "--draft", "4x512");
        assertThat(p.exit()).as(p.err()).isZero();
        assertThat(p.out()).contains("profile paper on rtx4090").contains("profile ours on rtx4090 [cuda-graph+fused] (ours)").contains("staged");
    }

    @Test
    void recordsNeedTheDeviceTheyRanOn() {
        SsdRun r = SsdRun.of("simulate", "check", "--results", RECORDS);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("--results needs --device");
    }
}

package ssd.harness.training;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ssd.harness.SsdRun;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** `ssd train`'s distillation flags are refused with one line naming the flag when they cannot apply. */
class TrainCommandTest {
    @TempDir
    Path dir;

    private SsdRun train(String... extra) {
        String[] base = {"train", "--profile", "paper", "--corpus", dir.toString(), "--out", dir.resolve("run").toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return SsdRun.of(args);
    }

    private static void oneLine(SsdRun run, String... fragments) {
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().strip()).doesNotContain("\n").contains(fragments);
    }

    @Test
    void distillationFlagsThatCannotApply() {
        oneLine(train("--role", "draft", "--distill-alpha", "0.5"), "--distill-alpha and --distill-temperature need --distill-from");
        oneLine(train("--role", "oracle", "--distill-from", dir.toString()), "--distill-from trains a draft");
        oneLine(train("--role", "draft", "--distill-from", dir.toString(), "--distill-alpha", "1.5"), "--distill-alpha", "[0, 1]", "1.5");
        oneLine(train("--role", "draft", "--distill-from", dir.toString(), "--distill-temperature", "0"), "--distill-temperature", "0.0");
        oneLine(train("--role", "draft", "--distill-from", dir.toString(), "--micro-batch", "5"), "--micro-batch 5 must divide");
        assertThat(dir.resolve("run")).doesNotExist();
    }
}

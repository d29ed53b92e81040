package ssd.harness.datasets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ssd.harness.SsdRun;
import ssd.datasets.prompts.PromptSet;
import ssd.datasets.shards.Manifest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;

/** `ssd corpus` and `ssd prompts` as a user runs them. */
class DatasetsCommandsTest {
    @TempDir
    Path dir;



    private Path sources() throws IOException {
        Path src = dir.resolve("src");
        for (int i = 0; i < 8; i++) {
            StringBuilder py = new StringBuilder("import os\n\n\n");
            for (int f = 0; f < 3; f++) {
                py.append("def func_").append(i).append('_').append(f).append("(path, depth=").append(i * 10 + f).append("):\n")
                        .append("    \"\"\"Walk path number ").append(i).append(" down to depth ").append(f)
                        .append(" and report what was found there.\"\"\"\n")
                        .append("    found_").append(i).append(" = os.listdir(path)[:depth + ").append(f).append("]\n")
                        .append("    return [os.path.join(path, name_").append(f).append(") for name_").append(f)
                        .append(" in found_").append(i).append("]\n\n\n");
            }
            Files.createDirectories(src.resolve("pkg"));
            Files.writeString(src.resolve("pkg/mod" + i + ".py"), py);
        }
        return src;
    }

    @Test
    void buildInspectAndMakePrompts() throws IOException {
        Path corpus = dir.resolve("corpus");
        SsdRun build = SsdRun.of("corpus", "build", "--from", sources().toString(), "--out", corpus.toString(),
                "--val-percent", "100", "--threads", "2", "--no-progress");
        assertThat(build.exit()).as(build.err()).isZero();
        assertThat(build.out()).contains("kept=8").contains("MB/s per core").contains("MB per CPU-second");
        assertThat(corpus.resolve(Manifest.FILE)).exists();

        SsdRun info = SsdRun.of("corpus", "info", "--corpus", corpus.toString());
        assertThat(info.exit()).as(info.err()).isZero();
        assertThat(info.out()).contains("checksums OK").contains("val").contains("8 files");

        Path prompts = dir.resolve("prompts.jsonl");
        SsdRun made = SsdRun.of("prompts", "build", "--corpus", corpus.toString(), "--n", "5", "--out", prompts.toString());
        assertThat(made.exit()).as(made.err()).isZero();
        assertThat(made.out()).contains("wrote 5 prompts");
        PromptSet set = PromptSet.load(prompts);
        assertThat(set.name()).isEqualTo("builtin");
        assertThat(set.prompts()).hasSize(5).allSatisfy(p -> assertThat(p.prompt()).startsWith("import os\n\n\ndef " + p.entryPoint()));
    }

    @Test
    void errorsAreOneLineNamingTheProblem() throws IOException {
        SsdRun missing = SsdRun.of("corpus", "build", "--from", dir.resolve("no-such-dir").toString(), "--out", dir.resolve("c").toString(),
                "--no-progress");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err().strip()).doesNotContain("\n").contains("no-such-dir").contains("not a directory");

        Path corpus = dir.resolve("corpus");
        assertThat(SsdRun.of("corpus", "build", "--from", sources().toString(), "--out", corpus.toString(), "--val-percent", "0",
                "--no-progress").exit()).isZero();
        SsdRun tooMany = SsdRun.of("prompts", "build", "--corpus", corpus.toString(), "--out", dir.resolve("p.jsonl").toString());
        assertThat(tooMany.exit()).isEqualTo(1);
        assertThat(tooMany.err()).contains("fewer than --n 164");

        String shard = Manifest.read(corpus.resolve(Manifest.FILE)).splits().get("train").shards().get(0).file();
        try (FileChannel ch = FileChannel.open(corpus.resolve(shard), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[]{9, 9}), 0);
        }
        SsdRun corrupt = SsdRun.of("corpus", "info", "--corpus", corpus.toString());
        assertThat(corrupt.exit()).isEqualTo(1);
        assertThat(corrupt.err().strip()).doesNotContain("\n").contains(shard).contains("corrupt");
    }
}

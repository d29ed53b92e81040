package ssd.datasets.corpus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ssd.datasets.shards.TokenShards;
import ssd.datasets.testing.PySamples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SplitsTest {
    @TempDir
    Path dir;

    @Test
    void validationShareIsAsAsked() {
        int val = 0, n = 20_000;
        for (int i = 0; i < n; i++) if (Splits.isValidation(Digest.sha256(("file " + i).getBytes()), 5.0)) val++;
        assertThat(val).isBetween(850, 1150);
        assertThat(Splits.isValidation(Digest.sha256(new byte[]{1}), 0.0)).isFalse();
        assertThat(Splits.isValidation(Digest.sha256(new byte[]{1}), 100.0)).isTrue();
    }

    @Test
    void splitDependsOnContentOnlyNotOnPathsOrwhatElseIsInTheCorpus() throws IOException {
        // Same 30 modules under different names and folders, plus extra files in the second tree.
        for (int i = 0; i < 30; i++) {
            PySamples.write(dir.resolve("a/pkg/m" + i + ".py"), PySamples.module(100 + i, 4));
            PySamples.write(dir.resolve("b/other/deep/x" + (29 - i) + ".py"), PySamples.module(100 + i, 4));
        }
        for (int i = 0; i < 10; i++) PySamples.write(dir.resolve("b/extra/e" + i + ".py"), PySamples.module(500 + i, 4));
        Map<String, String> first = splitOfEachFile(dir.resolve("a"), dir.resolve("outA"));
        Map<String, String> second = splitOfEachFile(dir.resolve("b"), dir.resolve("outB"));
        assertThat(first).hasSize(30);
        assertThat(first.values()).contains("train", "val");
        first.forEach((sha, split) -> assertThat(second).containsEntry(sha, split));
    }

    /** sha256 to split, from files.tsv. */
    private static Map<String, String> splitOfEachFile(Path root, Path out) throws IOException {
        new CorpusBuilder(CorpusBuildRequest.of(List.of(root), out).withValPercent(30).withProgress(false), s -> { }).build();
        Map<String, String> split = new HashMap<>();
        try (Stream<String> lines = Files.lines(out.resolve(CorpusBuilder.FILES_TSV))) {
            lines.skip(1).map(l -> l.split("\t")).forEach(f -> split.put(f[1], f[0]));
        }
        assertThat(split.values()).allMatch(s -> s.equals(TokenShards.TRAIN) || s.equals(TokenShards.VAL));
        return split;
    }
}

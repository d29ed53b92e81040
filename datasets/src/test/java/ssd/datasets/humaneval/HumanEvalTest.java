package ssd.datasets.humaneval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ssd.datasets.testing.PySamples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class HumanEvalTest {
    @TempDir
    Path dir;

    static final String FIXTURE = PySamples.HUMANEVAL_FIXTURE;

    private static byte[] gzip(String s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    @Test
    void readsPlainAndGzipFixturesAndWarnsAboutChecksumAndCount() throws IOException {
        for (Path file : List.of(PySamples.write(dir.resolve("he.jsonl"), FIXTURE),
                PySamples.write(dir.resolve("he.jsonl.gz"), gzip(FIXTURE)))) {
            List<String> warnings = new ArrayList<>();
            List<HumanEvalProblem> problems = HumanEval.read(file, warnings::add);
            assertThat(problems).extracting(HumanEvalProblem::taskId).containsExactly("HumanEval/0", "HumanEval/1");
            assertThat(problems.get(0).prompt()).isEqualTo("def add(a, b):\n    \"\"\"Add.\"\"\"\n");
            assertThat(problems.get(0).entryPoint()).isEqualTo("add");
            assertThat(problems.get(0).canonicalSolution()).isEqualTo("    return a + b\n");
            assertThat(problems.get(0).test()).contains("assert c(1, 2) == 3");
            assertThat(warnings).hasSize(2);
            assertThat(warnings.get(0)).contains("sha256").contains(file.toString());
            assertThat(warnings.get(1)).contains("2 problems").contains("164");
        }
    }

    @Test
    void missingFieldIsAnErrorNamingFileRecordAndField() {
        Path file = PySamples.write(dir.resolve("bad.jsonl"), "{\"task_id\": \"HumanEval/0\", \"prompt\": \"x\"}\n");
        assertThatThrownBy(() -> HumanEval.read(file, w -> { }))
                .hasMessageContaining("bad.jsonl record 1").hasMessageContaining("canonical_solution");
        Path junk = PySamples.write(dir.resolve("junk.jsonl"), "{not json\n");
        assertThatThrownBy(() -> HumanEval.read(junk, w -> { })).hasMessageContaining("junk.jsonl line 1");
    }

    @Test
    void locatesByFlagThenEnvironmentThenSharedFolderAbove() {
        Path shared = PySamples.write(dir.resolve("ws/shared/datasets/humaneval/HumanEval.jsonl.gz"), new byte[]{1});
        Path checkout = dir.resolve("ws/main/datasets");
        Path other = PySamples.write(dir.resolve("elsewhere/h.jsonl"), FIXTURE);

        assertThat(HumanEval.locate(null, null, checkout)).contains(shared);
        assertThat(HumanEval.locate(null, other.toString(), checkout)).contains(other);
        assertThat(HumanEval.locate(other.toString(), "/nonexistent", checkout)).contains(other);
        assertThat(HumanEval.locate(null, null, dir.resolve("elsewhere"))).isEqualTo(Optional.empty());
        assertThatThrownBy(() -> HumanEval.locate(dir.resolve("typo.gz").toString(), null, checkout))
                .hasMessageContaining("typo.gz").hasMessageContaining("no such file");
        assertThatThrownBy(() -> HumanEval.locate(null, "/no/such/he.gz", checkout))
                .hasMessageContaining(HumanEval.ENV).hasMessageContaining("/no/such/he.gz");
        assertThat(HumanEval.notFoundMessage(checkout)).contains("--humaneval").contains(HumanEval.ENV)
                .contains("github.com/openai/human-eval");
    }

    @Test
    void realHumanEvalWhenSharedDatasetsArePresent() {
        Optional<Path> real = HumanEval.locate(null, null, Path.of("").toAbsolutePath());
        assumeTrue(real.isPresent(), "no shared/datasets/humaneval beside this checkout");
        List<String> warnings = new ArrayList<>();
        List<HumanEvalProblem> problems = HumanEval.read(real.get(), warnings::add);
        assertThat(warnings).isEmpty();
        assertThat(problems).hasSize(HumanEval.PROBLEMS);
        assertThat(problems.get(0).taskId()).isEqualTo("HumanEval/0");
        assertThat(problems.get(0).entryPoint()).isEqualTo("has_close_elements");
        assertThat(problems).allSatisfy(p -> assertThat(p.prompt()).contains("def " + p.entryPoint()));
    }
}

package ssd.datasets.prompts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ssd.datasets.corpus.CorpusBuildRequest;
import ssd.datasets.corpus.CorpusBuilder;
import ssd.datasets.testing.PySamples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromptSetBuilderTest {
    @TempDir
    Path dir;

    private Path corpus(double valPercent) {
        for (int i = 0; i < 6; i++) PySamples.write(dir.resolve("src/pkg/m" + i + ".py"), PySamples.module(70 + i, 4));
        Path out = dir.resolve("corpus" + valPercent);
        new CorpusBuilder(CorpusBuildRequest.of(List.of(dir.resolve("src")), out).withValPercent(valPercent)
                .withProgress(false), s -> { }).build();
        return out;
    }

    @Test
    void buildsADeterministicRoundRobinSelectionFromValidationFiles() throws Exception {
        Path corpus = corpus(100);
        PromptSetBuilder.Limits limits = new PromptSetBuilder.Limits(10, 20, 600);
        List<PromptSetBuilder.BuiltPrompt> first = PromptSetBuilder.build(corpus, limits);
        assertThat(PromptSetBuilder.build(corpus, limits)).isEqualTo(first);
        assertThat(first).extracting(PromptSetBuilder.BuiltPrompt::taskId).startsWith("builtin/0", "builtin/1");
        // Round robin: the first six come from six different files.
        assertThat(first.subList(0, 6).stream().map(PromptSetBuilder.BuiltPrompt::source).distinct()).hasSize(6);
        assertThat(first).allSatisfy(p -> {
            assertThat(p.source()).startsWith("pkg/m");
            assertThat(p.prompt()).startsWith("import os\nfrom typing import List\n\n\ndef " + p.entryPoint() + "(")
                    .endsWith("    \"\"\"\n");
            assertThat(p.canonicalSolution()).contains("return");
        });

        Path out = dir.resolve("prompts.jsonl");
        PromptSetBuilder.write(out, first);
        PromptSet loaded = PromptSet.load(out);
        assertThat(loaded.name()).isEqualTo("builtin");
        assertThat(loaded.prompts()).extracting(Prompt::prompt).containsExactlyElementsOf(first.stream().map(PromptSetBuilder.BuiltPrompt::prompt).toList());
        assertThat(Files.readString(out)).contains("\"canonical_solution\"").contains("\"test\":\"\"");
    }

    @Test
    void tooFewPromptsIsAnErrorThatSaysWhatToChange() {
        Path corpus = corpus(100);
        assertThatThrownBy(() -> PromptSetBuilder.build(corpus, new PromptSetBuilder.Limits(500, 20, 600)))
                .hasMessageContaining("fewer than --n 500").hasMessageContaining("--val-percent");
        Path noVal = corpus(0);
        assertThatThrownBy(() -> PromptSetBuilder.build(noVal, new PromptSetBuilder.Limits(1, 20, 600)))
                .hasMessageContaining("yields only 0");
    }
}

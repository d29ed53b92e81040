package ssd.datasets.prompts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ssd.datasets.testing.PySamples;
import ssd.decoder.tokenizer.Gpt2Tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PromptSetTest {
    @TempDir
    Path dir;

    @Test
    void builtinSetHas164HumanEvalStylePromptsOf20To600Tokens() {
        PromptSet set = PromptSet.builtin();
        assertThat(set.name()).isEqualTo("builtin");
        assertThat(set.size()).isEqualTo(164);
        for (int i = 0; i < set.size(); i++) {
            Prompt p = set.prompts().get(i);
            assertThat(p.taskId()).isEqualTo("builtin/" + i);
            assertThat(p.prompt()).containsPattern("(?m)^(async )?def " + p.entryPoint() + "\\s*\\(").endsWith("\n")
                    .containsPattern("(\"\"\"|''')\\s*$");
            assertThat(Gpt2Tokenizer.get().encode(p.prompt()).length).isBetween(20, 600);
        }
        assertThat(set.prompts().stream().map(Prompt::prompt).distinct().count()).isEqualTo(164);
    }

    /** Python itself agrees each built-in prompt is a function header: it parses once a body is added. */
    @Test
    void builtinPromptsParseAsPythonWhenABodyIsAdded() throws Exception {
        assumeTrue(python3Available(), "python3 not installed");
        Path file = dir.resolve("prompts.txt");
        List<String> lines = new ArrayList<>();
        for (Prompt p : PromptSet.builtin().prompts()) lines.add(com.fasterxml.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(p.prompt()));
        Files.write(file, lines, StandardCharsets.UTF_8);
        String script = "import ast,json,sys,re\n"
                + "bad=[]\n"
                + "for i,l in enumerate(open(sys.argv[1],encoding='utf-8')):\n"
                // the body goes at the indentation of the docstring's opening line (right after the signature's ':')
                + "    p=json.loads(l); ind=re.search(r':[ \\t]*(#[^\\n]*)?\\n(?:[ \\t]*\\n)*([ \\t]+)[rRuU]?(\"\"\"|\\'\\'\\')', p)\n"
                + "    try: ast.parse(p + ind.group(2) + 'pass\\n')\n"
                + "    except Exception as e: bad.append((i, str(e)))\n"
                + "print(bad); sys.exit(1 if bad else 0)\n";
        Process proc = new ProcessBuilder("python3", "-c", script, file.toString()).redirectErrorStream(true).start();
        String output = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(proc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(proc.exitValue()).as(output).isZero();
    }

    @Test
    void loadsHumanEvalAndBuiltinFilesAlike() {
        Path he = PySamples.write(dir.resolve("HumanEval.jsonl"), PySamples.HUMANEVAL_FIXTURE);
        PromptSet set = PromptSet.load(he);
        assertThat(set.name()).isEqualTo("humaneval");
        assertThat(set.prompts()).containsExactly(new Prompt("HumanEval/0", "def add(a, b):\n    \"\"\"Add.\"\"\"\n", "add"),
                new Prompt("HumanEval/1", "def neg(x):\n", "neg"));
        Path mine = PySamples.write(dir.resolve("mine.jsonl"),
                "{\"task_id\": \"builtin/0\", \"prompt\": \"def f():\\n\", \"entry_point\": \"f\", \"source\": \"x.py\"}\n");
        assertThat(PromptSet.load(mine).name()).isEqualTo("builtin");
        Path broken = PySamples.write(dir.resolve("broken.jsonl"), "{\"task_id\": \"x\", \"prompt\": \"p\"}\n");
        assertThatThrownBy(() -> PromptSet.load(broken)).hasMessageContaining("broken.jsonl record 1").hasMessageContaining("entry_point");
    }

    @Test
    void defaultIsHumanEvalWhenFoundElseBuiltin() {
        Path he = PySamples.write(dir.resolve("HumanEval.jsonl"), PySamples.HUMANEVAL_FIXTURE);
        assertThat(PromptSets.from(Optional.of(he)).name()).isEqualTo("humaneval");
        assertThat(PromptSets.from(Optional.of(he)).source()).isEqualTo(he.toString());
        assertThat(PromptSets.from(Optional.empty()).name()).isEqualTo("builtin");
        assertThatThrownBy(() -> PromptSets.resolve(dir.resolve("absent.jsonl.gz").toString())).hasMessageContaining("absent.jsonl.gz");
    }

    static boolean python3Available() {
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}

package ssd.datasets.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Plausible Python modules for tests: seeded, so each seed gives a different but repeatable module. */
public final class PySamples {
    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "pe", "sa", "do",
            "fu", "gi", "ho", "ju", "be", "co", "ly", "wa", "xe"};

    /** Two problems in HumanEval's schema (not its content). */
    public static final String HUMANEVAL_FIXTURE = """
            {"task_id": "HumanEval/0", "prompt": "def add(a, b):\\n    \\"\\"\\"Add.\\"\\"\\"\\n", "entry_point": "add", "canonical_solution": "    return a + b\\n", "test": "def check(c):\\n    assert c(1, 2) == 3\\n"}
            {"task_id": "HumanEval/1", "prompt": "def neg(x):\\n", "entry_point": "neg", "canonical_solution": "    return -x\\n", "test": ""}
            """;

    private PySamples() {
    }

    public static String module(long seed, int functions) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("import os\nimport re\nfrom typing import List\n\n\n");
        for (int f = 0; f < functions; f++) {
            String name = word(r) + "_" + word(r);
            sb.append("def ").append(name).append('(').append(word(r)).append(": List[int], ").append(word(r)).append("=None):\n");
            sb.append("    \"\"\"").append(sentence(r, 10)).append(".\n\n    ").append(sentence(r, 8)).append(".\n    \"\"\"\n");
            for (int l = 0; l < 4; l++) {
                sb.append("    ").append(word(r)).append(" = ").append(word(r)).append('(').append(word(r))
                        .append(", os.sep) + ").append(r.nextInt(1000)).append('\n');
            }
            sb.append("    return ").append(word(r)).append("\n\n\n");
        }
        return sb.toString();
    }

    public static String word(SplittableRandom r) {
        StringBuilder sb = new StringBuilder();
        int n = 2 + r.nextInt(3);
        for (int i = 0; i < n; i++) sb.append(SYLLABLES[r.nextInt(SYLLABLES.length)]);
        return sb.toString();
    }

    private static String sentence(SplittableRandom r, int words) {
        StringBuilder sb = new StringBuilder("Compute");
        for (int i = 0; i < words; i++) sb.append(' ').append(word(r));
        return sb.toString();
    }

    /** {@code text} with lines {@code lines} (0-based) replaced by new statements. */
    public static String withLinesChanged(String text, int... lines) {
        String[] all = text.split("\n", -1);
        for (int i : lines) all[i] = "    changed_" + i + " = rewritten_value(" + i + ")";
        return String.join("\n", all);
    }

    public static Path write(Path file, String text) {
        return write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    public static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package ssd.harness.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Python-looking source files, each different enough that the corpus build keeps it (no near-duplicates). */
final class PythonSources {
    private static final String[] WORDS = {"alpha", "beta", "count", "delta", "entry", "frame", "graph", "index", "items",
            "limit", "model", "names", "order", "parse", "queue", "range", "scale", "token", "value", "width", "buffer",
            "cursor", "record", "stream", "target", "window", "number", "result", "filter", "mapping"};

    private PythonSources() {
    }

    /** {@code files} files of about 8 KB each under {@code dir}, deterministic in {@code seed}. */
    static Path write(Path dir, int files, long seed) throws IOException {
        Random rnd = new Random(seed);
        Files.createDirectories(dir);
        for (int f = 0; f < files; f++) {
            StringBuilder py = new StringBuilder("import os\nimport sys\n\n\n");
            while (py.length() < 8000) {
                String name = word(rnd) + "_" + word(rnd) + "_" + rnd.nextInt(1000);
                py.append("def ").append(name).append("(").append(word(rnd)).append(", ").append(word(rnd)).append("=").append(rnd.nextInt(100))
                        .append("):\n    \"\"\"Return the ").append(word(rnd)).append(" of ").append(word(rnd)).append(" by ").append(word(rnd)).append(".\"\"\"\n");
                for (int l = 0; l < 3 + rnd.nextInt(5); l++) {
                    py.append("    ").append(word(rnd)).append("_").append(rnd.nextInt(50)).append(" = ").append(word(rnd)).append(" * ")
                            .append(rnd.nextInt(1000)).append(" + len(").append(word(rnd)).append(")\n");
                }
                py.append("    return ").append(word(rnd)).append("\n\n\n");
            }
            Files.writeString(dir.resolve("mod_" + f + ".py"), py);
        }
        return dir;
    }

    private static String word(Random rnd) {
        return WORDS[rnd.nextInt(WORDS.length)];
    }
}

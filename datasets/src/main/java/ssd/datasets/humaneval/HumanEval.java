package ssd.datasets.humaneval;

import com.fasterxml.jackson.databind.JsonNode;
import ssd.datasets.io.Jsonl;
import ssd.datasets.shards.ShardFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * OpenAI's HumanEval (164 Python problems), read from a file the user provides: it is never part of this
 * repository. Where it is looked for: {@code --humaneval FILE}, then {@code SSD_HUMANEVAL}, then
 * {@code shared/datasets/humaneval/HumanEval.jsonl.gz} (or {@code .jsonl}) beside the working folder or any folder
 * above it (a checkout at {@code X/main} finds {@code X/shared}).
 */
public final class HumanEval {
    public static final int PROBLEMS = 164;
    /** sha256 of the published {@code HumanEval.jsonl.gz}. */
    public static final String SHA256 = "b796127e635a67f93fb35c04f4cb03cf06f38c8072ee7cee8833d7bee06979ef";
    /** sha256 of the same data decompressed ({@code HumanEval.jsonl}). */
    public static final String SHA256_JSONL = "1d49078ba3e2b196b9344535bef34a43021f038fad9561d6ee7c53450609a6a2";
    public static final String ENV = "SSD_HUMANEVAL";
    public static final String DOWNLOAD = "https://github.com/openai/human-eval/raw/master/data/HumanEval.jsonl.gz";
    static final Path SHARED_DIR = Path.of("shared", "datasets", "humaneval");
    static final List<String> FILE_NAMES = List.of("HumanEval.jsonl.gz", "HumanEval.jsonl");

    private HumanEval() {
    }

    /** The HumanEval file to use, if any; a path given by flag or environment must exist. */
    public static Optional<Path> locate(String flag) {
        return locate(flag, System.getenv(ENV), Path.of("").toAbsolutePath());
    }

    static Optional<Path> locate(String flag, String env, Path workingDir) {
        if (flag != null && !flag.isBlank()) return Optional.of(existing(Path.of(flag), "--humaneval " + flag));
        if (env != null && !env.isBlank()) return Optional.of(existing(Path.of(env), ENV + "=" + env));
        for (Path dir = workingDir.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (String name : FILE_NAMES) {
                Path candidate = dir.resolve(SHARED_DIR).resolve(name);
                if (Files.isRegularFile(candidate)) return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** As {@link #locate(String)}, but a missing file is an error that says where to get it. */
    public static Path require(String flag) {
        return locate(flag).orElseThrow(() -> new IllegalArgumentException(notFoundMessage(Path.of("").toAbsolutePath())));
    }

    static String notFoundMessage(Path workingDir) {
        return "HumanEval not found: pass --humaneval FILE or set " + ENV + ", or put " + FILE_NAMES.get(0) + " in "
                + SHARED_DIR + " beside " + workingDir + " or a folder above it (download it from " + DOWNLOAD
                + "; never commit it to this repository)";
    }

    /** Reads the problems; warnings (unexpected checksum or count) go to stderr. */
    public static List<HumanEvalProblem> read(Path file) {
        return read(file, w -> System.err.println("warning: " + w));
    }

    public static List<HumanEvalProblem> read(Path file, Consumer<String> warnings) {
        String sha = ShardFiles.sha256(file);
        if (!sha.equals(SHA256) && !sha.equals(SHA256_JSONL)) {
            warnings.accept(file + " has sha256 " + sha + ", not that of the published HumanEval (" + SHA256
                    + "); results will not be comparable with the paper's");
        }
        List<JsonNode> rows = Jsonl.read(file);
        List<HumanEvalProblem> problems = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            String where = file + " record " + (i + 1);
            JsonNode r = rows.get(i);
            problems.add(new HumanEvalProblem(Jsonl.text(r, "task_id", where), Jsonl.text(r, "prompt", where),
                    Jsonl.text(r, "canonical_solution", where), Jsonl.text(r, "test", where),
                    Jsonl.text(r, "entry_point", where)));
        }
        if (problems.size() != PROBLEMS) {
            warnings.accept(file + " has " + problems.size() + " problems, HumanEval has " + PROBLEMS);
        }
        return problems;
    }

    private static Path existing(Path p, String source) {
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException(source + ": no such file (expected HumanEval.jsonl.gz or .jsonl; download from "
                    + DOWNLOAD + ")");
        }
        return p;
    }
}

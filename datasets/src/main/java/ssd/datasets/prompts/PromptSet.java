package ssd.datasets.prompts;

import com.fasterxml.jackson.databind.JsonNode;
import ssd.datasets.io.Jsonl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The prompts an experiment runs over. Reads any JSONL (optionally gzip'd) in the HumanEval schema: HumanEval
 * itself, or the built-in set made by {@code ssd prompts build}. Only task_id, prompt and entry_point are needed.
 *
 * @param name   "humaneval", "builtin", or the file name for other sets
 * @param source where it was read from (a path, or the class-path resource)
 */
public record PromptSet(String name, String source, List<Prompt> prompts) {
    public static final String BUILTIN_RESOURCE = "/ssd/datasets/builtin-prompts.jsonl";

    public PromptSet {
        prompts = List.copyOf(prompts);
    }

    public static PromptSet load(Path file) {
        return fromRows(Jsonl.read(file), file.toString(), file.getFileName().toString());
    }

    /** The set that ships inside this module, made from Python standard-library code. */
    public static PromptSet builtin() {
        try (InputStream in = PromptSet.class.getResourceAsStream(BUILTIN_RESOURCE)) {
            if (in == null) throw new IllegalStateException("the built-in prompt set " + BUILTIN_RESOURCE + " is missing from the class path");
            return fromRows(Jsonl.read(in, "classpath:" + BUILTIN_RESOURCE), "classpath:" + BUILTIN_RESOURCE, "builtin");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the built-in prompt set: " + e.getMessage(), e);
        }
    }

    static PromptSet fromRows(List<JsonNode> rows, String source, String fallbackName) {
        List<Prompt> prompts = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            String where = source + " record " + (i + 1);
            JsonNode r = rows.get(i);
            prompts.add(new Prompt(Jsonl.text(r, "task_id", where), Jsonl.text(r, "prompt", where),
                    Jsonl.text(r, "entry_point", where)));
        }
        if (prompts.isEmpty()) throw new IllegalArgumentException(source + " holds no prompts");
        return new PromptSet(nameOf(prompts, fallbackName), source, prompts);
    }

    private static String nameOf(List<Prompt> prompts, String fallback) {
        if (prompts.stream().allMatch(p -> p.taskId().startsWith("HumanEval/"))) return "humaneval";
        if (prompts.stream().allMatch(p -> p.taskId().startsWith(PromptSetBuilder.TASK_PREFIX))) return "builtin";
        return fallback;
    }

    public int size() {
        return prompts.size();
    }
}

package ssd.harness.experiment;

import picocli.CommandLine.Option;
import ssd.datasets.prompts.PromptSet;
import ssd.datasets.prompts.PromptSets;

import java.nio.file.Path;

/** --prompts default|builtin|humaneval|FILE and --limit N. */
public final class PromptChoice {
    @Option(names = "--prompts", defaultValue = "default",
            description = "default (HumanEval if found, else built-in), builtin, humaneval, or a JSONL file in the HumanEval schema")
    String prompts;

    @Option(names = "--limit", defaultValue = "0", description = "use only the first N prompts (0: all)")
    int limit;

    public PromptSet load() {
        PromptSet set = switch (prompts) {
            case "default" -> PromptSets.defaultPrompts();
            case "builtin" -> PromptSet.builtin();
            case "humaneval" -> PromptSets.resolve(ssd.datasets.humaneval.HumanEval.require(null).toString());
            default -> PromptSet.load(Path.of(prompts));
        };
        if (limit < 0) throw new IllegalArgumentException("--limit must be >= 0, got " + limit);
        if (limit == 0 || limit >= set.size()) return set;
        return new PromptSet(set.name(), set.source(), set.prompts().subList(0, limit));
    }
}

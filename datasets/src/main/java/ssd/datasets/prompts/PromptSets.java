package ssd.datasets.prompts;

import ssd.datasets.humaneval.HumanEval;
import ssd.datasets.humaneval.HumanEvalProblem;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Which prompts an experiment uses: HumanEval when it can be found (as in the paper), else the built-in set. */
public final class PromptSets {
    private PromptSets() {
    }

    /** HumanEval found by {@link HumanEval#locate} (environment, then shared/ beside the checkout), else built-in. */
    public static PromptSet defaultPrompts() {
        return resolve(null);
    }

    /**
     * @param humanEvalFlag a {@code --humaneval} value, or null; when given, the file must exist (no silent
     *                      fall-back to the built-in set)
     */
    public static PromptSet resolve(String humanEvalFlag) {
        return from(HumanEval.locate(humanEvalFlag));
    }

    static PromptSet from(Optional<Path> humanEval) {
        if (humanEval.isEmpty()) return PromptSet.builtin();
        Path file = humanEval.get();
        List<HumanEvalProblem> problems = HumanEval.read(file);
        return new PromptSet("humaneval", file.toString(),
                problems.stream().map(p -> new Prompt(p.taskId(), p.prompt(), p.entryPoint())).toList());
    }
}

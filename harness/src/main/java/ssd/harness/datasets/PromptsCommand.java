package ssd.harness.datasets;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import ssd.datasets.prompts.PromptSetBuilder;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ssd prompts build}: the built-in, HumanEval-style prompt set from a corpus's validation split. */
@Command(name = "prompts", mixinStandardHelpOptions = true,
        description = "Make the built-in prompt set used when HumanEval is absent.",
        subcommands = {PromptsCommand.Build.class})
public final class PromptsCommand extends ssd.harness.CommandGroup {
    @Command(name = "build", mixinStandardHelpOptions = true,
            description = {"Cut prompts (imports + top-level def + docstring) from validation-split files of a corpus.",
                    "Writes JSONL in the HumanEval schema with task ids builtin/N."})
    static final class Build implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--corpus", required = true, paramLabel = "DIR", description = "A folder made by `ssd corpus build`.")
        Path corpus;

        @Option(names = "--n", paramLabel = "N", defaultValue = "164", description = "Number of prompts (default: ${DEFAULT-VALUE}).")
        int count;

        @Option(names = "--min-tokens", paramLabel = "T", defaultValue = "20", description = "Shortest prompt in GPT-2 tokens (default: ${DEFAULT-VALUE}).")
        int minTokens;

        @Option(names = "--max-tokens", paramLabel = "T", defaultValue = "600", description = "Longest prompt in GPT-2 tokens (default: ${DEFAULT-VALUE}).")
        int maxTokens;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "JSONL file to write.")
        Path out;

        @Override
        public Integer call() {
            List<PromptSetBuilder.BuiltPrompt> prompts = PromptSetBuilder.build(corpus,
                    new PromptSetBuilder.Limits(count, minTokens, maxTokens));
            PromptSetBuilder.write(out, prompts);
            long files = prompts.stream().map(PromptSetBuilder.BuiltPrompt::source).distinct().count();
            var stats = prompts.stream().mapToInt(PromptSetBuilder.BuiltPrompt::tokens).summaryStatistics();
            spec.commandLine().getOut().printf("wrote %d prompts from %d validation files to %s (%d-%d tokens, mean %.0f)%n",
                    prompts.size(), files, out, stats.getMin(), stats.getMax(), stats.getAverage());
            return 0;
        }
    }
}

package ssd.datasets.prompts;

/** One prompt to complete: a HumanEval problem or a built-in one, as the decoding experiments see it. */
public record Prompt(String taskId, String prompt, String entryPoint) {
}

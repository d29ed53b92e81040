package ssd.datasets.prompts;

/**
 * A prompt cut from a module: {@code prompt} ends right after the docstring's closing line; {@code body} is the
 * rest of the function as the file had it (a reference completion).
 */
public record PromptCandidate(String entryPoint, String prompt, String body) {
}

package ssd.datasets.humaneval;

/** One HumanEval problem, field for field as in {@code HumanEval.jsonl.gz}. */
public record HumanEvalProblem(String taskId, String prompt, String canonicalSolution, String test, String entryPoint) {
}

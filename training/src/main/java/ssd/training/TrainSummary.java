package ssd.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * summary.json of a run. {@code complete} is false when the run stopped early (--stop-at) and can be resumed.
 * {@code distillation} is null for plain training.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TrainSummary(@JsonProperty("profile") String profile,
                           @JsonProperty("role") String role,
                           @JsonProperty("complete") boolean complete,
                           @JsonProperty("steps") long steps,
                           @JsonProperty("total_steps") long totalSteps,
                           @JsonProperty("tokens") long tokens,
                           @JsonProperty("parameters") long parameters,
                           @JsonProperty("final_train_loss") double finalTrainLoss,
                           @JsonProperty("final_val_loss") double finalValLoss,
                           @JsonProperty("val_tokens") long valTokens,
                           @JsonProperty("elapsed_seconds") double elapsedSeconds,
                           @JsonProperty("tokens_per_second") double tokensPerSecond,
                           @JsonProperty("mfu") Double mfu,
                           @JsonProperty("device") String device,
                           @JsonProperty("compute_dtype") String computeDtype,
                           @JsonProperty("corpus_manifest_sha256") String corpusManifestSha256,
                           @JsonProperty("checkpoint") String checkpoint,
                           @JsonProperty("comparison") Comparison comparison,
                           @JsonProperty("distillation") Distillation distillation) {
    /** How a distilled draft was trained: its oracle and the loss settings. */
    public record Distillation(@JsonProperty("oracle") String oracle, @JsonProperty("oracle_parameters") long oracleParameters,
                               @JsonProperty("alpha") double alpha, @JsonProperty("temperature") double temperature,
                               @JsonProperty("micro_batch") int microBatch, @JsonProperty("loss") String loss) {
    }

    public TrainSummary withComparison(Comparison c) {
        return new TrainSummary(profile, role, complete, steps, totalSteps, tokens, parameters, finalTrainLoss, finalValLoss, valTokens,
                elapsedSeconds, tokensPerSecond, mfu, device, computeDtype, corpusManifestSha256, checkpoint, c, distillation);
    }
}

package ssd.training;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * state.json of train-state/: where an interrupted run stands. With the fp32 masters and optimiser moments beside it
 * this is everything --resume needs (the window generator is derived from seed and step, so it has no state). The
 * interval fields carry the train-loss average of the log row in progress, so the resumed log matches a straight run.
 * {@code distillFrom} is the oracle a distillation run learns from (null for plain training).
 */
public record TrainState(@JsonProperty("format") String format,
                         @JsonProperty("profile") String profile,
                         @JsonProperty("role") String role,
                         @JsonProperty("step") long step,
                         @JsonProperty("tokens") long tokens,
                         @JsonProperty("elapsed_seconds") double elapsedSeconds,
                         @JsonProperty("compute_dtype") String computeDtype,
                         @JsonProperty("init") String init,
                         @JsonProperty("corpus_manifest_sha256") String corpusManifestSha256,
                         @JsonProperty("last_train_loss") double lastTrainLoss,
                         @JsonProperty("interval_loss_sum") double intervalLossSum,
                         @JsonProperty("interval_steps") long intervalSteps,
                         @JsonProperty("settings") RoleSettings settings,
                         @JsonProperty("distill_from") String distillFrom) {
    public static final String FORMAT = "ssd-train-state/1";
}

package ssd.training;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Oracle and draft validation losses on the same windows. {@code oracle_lower} is written for readers, derived on reading. */
@JsonIgnoreProperties(value = "oracle_lower", allowGetters = true)
public record Comparison(@JsonProperty("oracle") String oracle, @JsonProperty("draft") String draft,
                         @JsonProperty("oracle_val_loss") double oracleValLoss, @JsonProperty("draft_val_loss") double draftValLoss,
                         @JsonProperty("windows") int windows, @JsonProperty("seq_len") int seqLen) {
    @JsonProperty("oracle_lower")
    public boolean oracleLower() {
        return oracleValLoss < draftValLoss;
    }

    public String describe() {
        return String.format(java.util.Locale.ROOT, "validation loss on the same %d windows of %d tokens: oracle %.4f, draft %.4f (%s)",
                windows, seqLen, oracleValLoss, draftValLoss, oracleLower() ? "oracle < draft, as required" : "ORACLE IS NOT BETTER THAN THE DRAFT");
    }
}

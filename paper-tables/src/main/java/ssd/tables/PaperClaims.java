package ssd.tables;

import java.util.List;
import java.util.Locale;

/**
 * What Spector & Ré (2023) report in Tables 1 and 2, cell by cell, as our copy of the paper shows it (summarized in
 * ../shared/docs/paper.md): GPT-2-L oracle on one RTX 4090, the 164 HumanEval prompts, greedy and top-k (k=50, T=1).
 */
public final class PaperClaims {
    public static final Sampling GREEDY = new Sampling(0, 0), TOP_K = new Sampling(1, 50);
    private static final double STAGED_VS_BASELINE_GREEDY = 3.16, STAGED_VS_BASELINE_TOPK = 1.98, STAGED_VS_SPECULATIVE = 1.36;

    public static final String TABLE1_NOTE = "The paper's Table 1 gives memory bandwidth consumed per generated token relative to the "
            + "baseline, for speculative and staged, greedy and top-k; its cells are not legible in our copy. Its text: staged "
            + "decoding uses significantly less than both alternatives.";
    public static final String TABLE2_NOTE = "The paper's Table 2 gives decoding throughput relative to the baseline (staged vs "
            + "baseline and staged vs standard speculative); speculative vs baseline is not printed and follows as the ratio of the "
            + "two; the baseline's ~150 tokens/s (reference PyTorch GPT-2-L on the RTX 4090) is from the paper's text.";

    private PaperClaims() {
    }

    /** Every cell of Tables 1 and 2, greedy before top-k within each comparison. */
    public static List<PaperClaim> all() {
        String illegible = "Table 1's cells are not legible in our copy of the paper";
        Comparison specBytes = new Comparison("speculative", PaperTables.BASELINE, Quantity.BYTES_PER_TOKEN);
        Comparison stagedBytes = new Comparison("staged", PaperTables.BASELINE, Quantity.BYTES_PER_TOKEN);
        Comparison stagedVsBase = new Comparison("staged", PaperTables.BASELINE, Quantity.TOKENS_PER_SECOND);
        Comparison stagedVsSpec = new Comparison("staged", "speculative", Quantity.TOKENS_PER_SECOND);
        Comparison specVsBase = new Comparison("speculative", PaperTables.BASELINE, Quantity.TOKENS_PER_SECOND);
        Comparison baseRate = new Comparison(PaperTables.BASELINE, null, Quantity.TOKENS_PER_SECOND);
        return List.of(
                new PaperClaim(1, specBytes, GREEDY, PaperCell.illegible(illegible)),
                new PaperClaim(1, specBytes, TOP_K, PaperCell.illegible(illegible)),
                new PaperClaim(1, stagedBytes, GREEDY, PaperCell.illegible(illegible)),
                new PaperClaim(1, stagedBytes, TOP_K, PaperCell.illegible(illegible)),
                new PaperClaim(2, stagedVsBase, GREEDY, PaperCell.reported(STAGED_VS_BASELINE_GREEDY)),
                new PaperClaim(2, stagedVsBase, TOP_K, PaperCell.reported(STAGED_VS_BASELINE_TOPK)),
                new PaperClaim(2, stagedVsSpec, GREEDY, PaperCell.reported(STAGED_VS_SPECULATIVE)),
                new PaperClaim(2, stagedVsSpec, TOP_K, PaperCell.reported(STAGED_VS_SPECULATIVE)),
                new PaperClaim(2, specVsBase, GREEDY, derived(STAGED_VS_BASELINE_GREEDY, STAGED_VS_SPECULATIVE)),
                new PaperClaim(2, specVsBase, TOP_K, derived(STAGED_VS_BASELINE_TOPK, STAGED_VS_SPECULATIVE)),
                new PaperClaim(2, baseRate, GREEDY, PaperCell.approximate(150)),
                new PaperClaim(2, baseRate, TOP_K, PaperCell.notReported("the paper gives one baseline rate")));
    }

    private static PaperCell derived(double stagedVsBaseline, double stagedVsSpeculative) {
        return PaperCell.derived(stagedVsBaseline / stagedVsSpeculative,
                String.format(Locale.ROOT, "%.2f / %.2f", stagedVsBaseline, stagedVsSpeculative));
    }
}

package ssd.tables;

/**
 * One cell of the paper's Table 1 or 2: what it compares, in which sampling mode, and what the paper says.
 *
 * @param table 1 or 2
 */
public record PaperClaim(int table, Comparison comparison, Sampling sampling, PaperCell paper) {
    public PaperClaim {
        if (table != 1 && table != 2) throw new IllegalArgumentException("the paper has Tables 1 and 2, got " + table);
        if (comparison == null || sampling == null || paper == null) throw new IllegalArgumentException("a paper claim needs every part");
    }

    /** The sampling mode as the tables spell it ("greedy", "top-k (k=50, T=1)"). */
    public String samplingMode() {
        return TableLabels.samplingMode(sampling);
    }
}

package ssd.tables;

/**
 * One quantity the paper reports: a method's throughput or memory traffic, relative to a reference method, or
 * absolute when {@code reference} is null (e.g. the baseline's tokens/s).
 */
public record Comparison(String method, String reference, Quantity quantity) {
    public Comparison {
        if (method == null || method.isBlank()) throw new IllegalArgumentException("a comparison needs a method");
        if (quantity == null) throw new IllegalArgumentException("a comparison needs a quantity");
    }

    public boolean ratio() {
        return reference != null;
    }

    /** "staged vs baseline", or "baseline tokens/s". */
    public String label() {
        if (ratio()) return method + " vs " + reference;
        return method + (quantity == Quantity.TOKENS_PER_SECOND ? " tokens/s" : " bytes/token");
    }

    /** The comparison's value from two groups' values (the method's and the reference's); NaN where one is missing. */
    public double of(double methodValue, double referenceValue) {
        if (!ratio()) return methodValue;
        return referenceValue > 0 ? methodValue / referenceValue : Double.NaN;
    }
}

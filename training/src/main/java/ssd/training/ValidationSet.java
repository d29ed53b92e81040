package ssd.training;

import ssd.datasets.shards.TokenSplit;

import java.util.Iterator;

/**
 * A fixed validation set: the first consecutive windows of {@code seqLen + 1} tokens of the val split, enough for
 * about {@code tokens} predicted tokens. The same split, length and token count give the same set, so two models
 * (oracle and draft) are scored on identical data.
 */
public record ValidationSet(long[] ids, int windows, int seqLen) {
    public static ValidationSet first(TokenSplit val, int seqLen, long tokens, int vocabSize) {
        long wanted = Math.max(1, (tokens + seqLen - 1) / seqLen);
        long available = val.tokens() / (seqLen + 1L);
        if (available == 0) {
            throw new IllegalArgumentException("the " + val.name() + " split has " + val.tokens() + " tokens, fewer than one validation window of "
                    + (seqLen + 1));
        }
        int n = (int) Math.min(wanted, Math.min(available, Integer.MAX_VALUE / (seqLen + 1)));
        int width = seqLen + 1;
        long[] ids = new long[n * width];
        Iterator<int[]> it = val.windows(width);
        for (int w = 0; w < n; w++) {
            int[] window = it.next();
            for (int i = 0; i < width; i++) {
                if (window[i] >= vocabSize) {
                    throw new IllegalArgumentException("validation token id " + window[i] + " is outside the model's vocabulary of " + vocabSize);
                }
                ids[w * width + i] = window[i];
            }
        }
        return new ValidationSet(ids, n, seqLen);
    }

    public long predictedTokens() {
        return (long) windows * seqLen;
    }
}

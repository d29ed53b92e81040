package ssd.decoder.ngram;

import it.unimi.dsi.fastutil.ints.IntArrays;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;

/**
 * Query-side view of one n-gram order: the kept counts of {@link LevelCounts} plus, per context, the divisor of
 * its discounted probabilities, its back-off weight, and its followers ranked by probability.
 *
 * <p>A kept follower's probability is {@code effectiveCount(count) / divisor[c]}, recomputed on use (two array
 * reads and a division) rather than stored: 16 bytes per n-gram (token and count by token for lookups, token and
 * count by rank so a top-m scan reads contiguous memory). Every caller computes it through {@link #prob} or
 * {@link #probAtRank}, so all queries see bit-identical values.
 */
final class LevelTable {
    final LevelCounts counts;
    final GoodTuring discounts;
    final int[] offsets;
    final int[] tokens;
    final int[] cnt;
    /** Per context: divisor of discounted counts (the context total, or the discounted mass when renormalised). */
    final double[] divisor;
    /** Per context: Katz back-off weight alpha. */
    final double[] alpha;
    /** Per context, positions offsets[c]..offsets[c+1]: followers by (prob desc, token asc), and their counts. */
    final int[] rankTokens;
    final int[] rankCounts;
    private final int[] directIndex;            // bigram level: token -> context id (-1 if none)
    private final Long2IntOpenHashMap hashIndex; // trigram level: packed (t1, t2) -> context id

    LevelTable(LevelCounts counts, GoodTuring discounts, int vocabSize, boolean direct) {
        this.counts = counts;
        this.discounts = discounts;
        this.offsets = counts.offsets();
        this.tokens = counts.tokens();
        this.cnt = counts.counts();
        int n = counts.contexts();
        this.divisor = new double[n];
        this.alpha = new double[n];
        this.rankTokens = new int[tokens.length];
        this.rankCounts = new int[tokens.length];
        long[] keys = counts.contextKeys();
        if (direct) {
            directIndex = new int[vocabSize];
            java.util.Arrays.fill(directIndex, -1);
            for (int c = 0; c < n; c++) {
                directIndex[(int) keys[c]] = c;
            }
            hashIndex = null;
        } else {
            directIndex = null;
            hashIndex = new Long2IntOpenHashMap(n);
            hashIndex.defaultReturnValue(-1);
            for (int c = 0; c < n; c++) {
                hashIndex.put(keys[c], c);
            }
        }
    }

    /** Context id of a key, or -1. */
    int find(long key) {
        return directIndex != null ? directIndex[(int) key] : hashIndex.get(key);
    }

    int from(int c) {
        return offsets[c];
    }

    int to(int c) {
        return offsets[c + 1];
    }

    /** Probability of the follower at global index i of context c. */
    double prob(int c, int i) {
        return discounts.effectiveCount(cnt[i]) / divisor[c];
    }

    /** Probability of the follower at rank position j of context c. */
    double probAtRank(int c, int j) {
        return discounts.effectiveCount(rankCounts[j]) / divisor[c];
    }

    /** Global index of token w among the followers of context c, or -1. */
    int indexOf(int c, int w) {
        int lo = offsets[c];
        int hi = offsets[c + 1] - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int t = tokens[mid];
            if (t < w) {
                lo = mid + 1;
            } else if (t > w) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    boolean contains(int c, int w) {
        return indexOf(c, w) >= 0;
    }

    /** First rank position after j (within context c) whose probability is below p; ranks are non-increasing. */
    int endOfRun(int c, int j, double p) {
        int lo = j + 1;
        int hi = offsets[c + 1];
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (probAtRank(c, mid) < p) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** Fills the rank arrays once divisors are known. */
    void computeRanks() {
        double[] p = new double[tokens.length];
        int[] rank = new int[tokens.length];
        for (int c = 0; c < divisor.length; c++) {
            for (int i = offsets[c]; i < offsets[c + 1]; i++) {
                p[i] = prob(c, i);
                rank[i] = i;
            }
            // Ties (equal probability) by ascending token; tokens ascend with i inside a context.
            IntArrays.quickSort(rank, offsets[c], offsets[c + 1], (a, b) -> {
                int cmp = Double.compare(p[b], p[a]);
                return cmp != 0 ? cmp : Integer.compare(a, b);
            });
        }
        for (int j = 0; j < rank.length; j++) {
            rankTokens[j] = tokens[rank[j]];
            rankCounts[j] = cnt[rank[j]];
        }
    }
}

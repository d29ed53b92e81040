package ssd.decoder.ngram;

import it.unimi.dsi.fastutil.longs.Long2IntMap;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import it.unimi.dsi.fastutil.longs.LongArrays;
import it.unimi.dsi.fastutil.objects.ObjectIterator;

/**
 * Everything a Katz trigram is estimated from, after cut-offs: this is what the model file stores, and the
 * model's probabilities are a deterministic function of it (so a file round trip gives bit-identical queries).
 *
 * @param vocabSize            vocabulary size V
 * @param config               discount cut-off k and count cut-offs used
 * @param totalTokens          N, number of tokens counted
 * @param unigramCounts        c(w) for every w in [0, V)
 * @param bigramCountOfCounts  n_0..n_{k+1} of all bigram counts (before cut-offs; n_0 = 0)
 * @param trigramCountOfCounts n_0..n_{k+1} of all trigram counts (before cut-offs; n_0 = 0)
 * @param bigrams              kept bigrams, by first token
 * @param trigrams             kept trigrams, by packed (t1, t2)
 */
public record KatzCounts(int vocabSize, KatzConfig config, long totalTokens, long[] unigramCounts,
                         long[] bigramCountOfCounts, long[] trigramCountOfCounts,
                         LevelCounts bigrams, LevelCounts trigrams) {

    /** Applies the cut-offs of {@code config} to {@code counts} (which is only read). */
    public static KatzCounts from(TrigramCounts counts, KatzConfig config) {
        int v = counts.vocabSize();
        int k = config.discountCutoff();
        Long2IntOpenHashMap bi = counts.bigramsView();
        Long2IntOpenHashMap tri = counts.trigramsView();
        long[] biN = GoodTuring.countOfCounts(bi.values().iterator(), k);
        long[] triN = GoodTuring.countOfCounts(tri.values().iterator(), k);

        // Bigram level: context = first token; totals include every follower, kept or not.
        long[] biTotals = new long[v];
        LongArrayList biKept = new LongArrayList();
        for (ObjectIterator<Long2IntMap.Entry> it = bi.long2IntEntrySet().fastIterator(); it.hasNext(); ) {
            Long2IntMap.Entry e = it.next();
            biTotals[NgramKeys.first(e.getLongKey())] += e.getIntValue();
            if (e.getIntValue() >= config.minBigramCount()) {
                biKept.add(e.getLongKey());
            }
        }
        LevelCounts bigrams = group(biKept, bi, key -> biTotals[(int) key]);

        Long2LongOpenHashMap triTotals = new Long2LongOpenHashMap();
        LongArrayList triKept = new LongArrayList();
        for (ObjectIterator<Long2IntMap.Entry> it = tri.long2IntEntrySet().fastIterator(); it.hasNext(); ) {
            Long2IntMap.Entry e = it.next();
            triTotals.addTo(NgramKeys.contextOf(e.getLongKey()), e.getIntValue());
            if (e.getIntValue() >= config.minTrigramCount()) {
                triKept.add(e.getLongKey());
            }
        }
        LevelCounts trigrams = group(triKept, tri, triTotals::get);

        return new KatzCounts(v, config, counts.totalTokens(), counts.unigramsView().clone(), biN, triN,
                bigrams, trigrams);
    }

    private interface TotalOf {
        long total(long contextKey);
    }

    /** Sorts the kept n-gram keys, which groups them by context (the high bits) with followers ascending. */
    private static LevelCounts group(LongArrayList keptList, Long2IntOpenHashMap counts, TotalOf totals) {
        long[] kept = keptList.toLongArray();
        if (kept.length > 1 << 16) {
            LongArrays.parallelQuickSort(kept);
        } else {
            LongArrays.quickSort(kept);
        }
        int n = kept.length;
        int[] tokens = new int[n];
        int[] cnt = new int[n];
        int contexts = 0;
        for (int i = 0; i < n; i++) {
            if (i == 0 || (kept[i] >>> NgramKeys.BITS) != (kept[i - 1] >>> NgramKeys.BITS)) {
                contexts++;
            }
        }
        long[] keys = new long[contexts];
        long[] tot = new long[contexts];
        int[] offsets = new int[contexts + 1];
        int c = -1;
        for (int i = 0; i < n; i++) {
            long ctx = kept[i] >>> NgramKeys.BITS;
            if (i == 0 || ctx != (kept[i - 1] >>> NgramKeys.BITS)) {
                c++;
                keys[c] = ctx;
                tot[c] = totals.total(ctx);
                offsets[c] = i;
            }
            tokens[i] = NgramKeys.last(kept[i]);
            cnt[i] = counts.get(kept[i]);
        }
        offsets[contexts] = n;
        return new LevelCounts(keys, tot, offsets, tokens, cnt);
    }

    /**
     * Checks every invariant the model relies on (used on data read from a file).
     *
     * @throws IllegalArgumentException naming the first violation
     */
    public void validate() {
        if (vocabSize < 1 || vocabSize > NgramKeys.MAX_VOCAB) {
            throw new IllegalArgumentException("vocabulary size " + vocabSize + " out of range");
        }
        if (unigramCounts.length != vocabSize) {
            throw new IllegalArgumentException("unigram table has " + unigramCounts.length + " entries, not " + vocabSize);
        }
        long sum = 0;
        for (long c : unigramCounts) {
            if (c < 0) {
                throw new IllegalArgumentException("negative unigram count");
            }
            sum += c;
        }
        if (sum != totalTokens) {
            throw new IllegalArgumentException("unigram counts sum to " + sum + ", not the token total " + totalTokens);
        }
        int k = config.discountCutoff();
        if (bigramCountOfCounts.length != k + 2 || trigramCountOfCounts.length != k + 2) {
            throw new IllegalArgumentException("count-of-counts tables must have k+2 = " + (k + 2) + " entries");
        }
        bigrams.validate(vocabSize, false, config.minBigramCount());
        trigrams.validate(vocabSize, true, config.minTrigramCount());
    }
}

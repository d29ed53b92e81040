package ssd.decoder.ngram;

import it.unimi.dsi.fastutil.longs.Long2IntMap;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import it.unimi.dsi.fastutil.objects.ObjectIterator;

import java.util.Objects;
import java.util.stream.Collector;

/**
 * Streaming unigram/bigram/trigram counter over token sequences (one sequence = one document; n-grams never
 * span two calls). Not thread-safe: give each thread its own instance and {@link #merge} them, or use
 * {@link #collector} with a parallel stream.
 *
 * <p>Every token id in {@code [0, vocabSize)} is ordinary, {@code <|endoftext|>} included: documents are
 * separated by the calls, not by a token. Bigram and trigram counts live in fastutil {@code long -> int} open
 * hash maps keyed by the packed n-gram (about 20 bytes per distinct n-gram), unigram counts in a
 * {@code long[vocabSize]}.
 */
public final class TrigramCounts {
    private final int vocabSize;
    private final long[] unigrams;
    private long totalTokens;
    private Long2IntOpenHashMap bigrams;
    private Long2IntOpenHashMap trigrams;

    public TrigramCounts(int vocabSize) {
        if (vocabSize < 1 || vocabSize > NgramKeys.MAX_VOCAB) {
            throw new IllegalArgumentException(
                    "vocabSize must be in [1, " + NgramKeys.MAX_VOCAB + "], got " + vocabSize);
        }
        this.vocabSize = vocabSize;
        this.unigrams = new long[vocabSize];
        this.bigrams = new Long2IntOpenHashMap();
        this.trigrams = new Long2IntOpenHashMap();
    }

    /** A collector for {@code stream.parallel().collect(...)}: one counter per worker, merged at the end. */
    public static Collector<int[], TrigramCounts, TrigramCounts> collector(int vocabSize) {
        return Collector.of(() -> new TrigramCounts(vocabSize), TrigramCounts::addSequence, TrigramCounts::merge);
    }

    /** Counts one document. */
    public void addSequence(int[] tokens) {
        addSequence(tokens, 0, tokens.length);
    }

    /** Counts {@code tokens[from, to)} as one document. */
    public void addSequence(int[] tokens, int from, int to) {
        Objects.checkFromToIndex(from, to, tokens.length);
        for (int i = from; i < to; i++) {
            int t = tokens[i];
            if (t < 0 || t >= vocabSize) {
                throw new IllegalArgumentException(
                        "token " + t + " at index " + i + " is outside the vocabulary [0, " + vocabSize + ")");
            }
        }
        for (int i = from; i < to; i++) {
            int t = tokens[i];
            unigrams[t]++;
            if (i - 1 >= from) {
                add(bigrams, NgramKeys.bigram(tokens[i - 1], t), 1);
                if (i - 2 >= from) {
                    add(trigrams, NgramKeys.trigram(tokens[i - 2], tokens[i - 1], t), 1);
                }
            }
        }
        totalTokens += to - from;
    }

    /**
     * Adds {@code other}'s counts to this counter and returns this. {@code other} must not be used afterwards
     * (its maps may be taken over, which makes merging a small counter into a big one cheap either way).
     */
    public TrigramCounts merge(TrigramCounts other) {
        if (other == this) {
            throw new IllegalArgumentException("cannot merge a counter into itself");
        }
        if (other.vocabSize != vocabSize) {
            throw new IllegalArgumentException(
                    "vocabulary sizes differ: " + vocabSize + " vs " + other.vocabSize);
        }
        for (int t = 0; t < vocabSize; t++) {
            unigrams[t] += other.unigrams[t];
        }
        totalTokens += other.totalTokens;
        bigrams = mergeMaps(bigrams, other.bigrams);
        trigrams = mergeMaps(trigrams, other.trigrams);
        other.bigrams = new Long2IntOpenHashMap();
        other.trigrams = new Long2IntOpenHashMap();
        return this;
    }

    private static Long2IntOpenHashMap mergeMaps(Long2IntOpenHashMap a, Long2IntOpenHashMap b) {
        // Iterate the smaller map, add into the larger one.
        Long2IntOpenHashMap big = a.size() >= b.size() ? a : b;
        Long2IntOpenHashMap small = big == a ? b : a;
        ObjectIterator<Long2IntMap.Entry> it = small.long2IntEntrySet().fastIterator();
        while (it.hasNext()) {
            Long2IntMap.Entry e = it.next();
            add(big, e.getLongKey(), e.getIntValue());
        }
        return big;
    }

    private static void add(Long2IntOpenHashMap map, long key, int increment) {
        int old = map.addTo(key, increment);
        if (old > Integer.MAX_VALUE - increment) {
            throw new ArithmeticException("n-gram count overflows an int (key " + key + ")");
        }
    }

    public int vocabSize() {
        return vocabSize;
    }

    /** Number of tokens counted, over all documents. */
    public long totalTokens() {
        return totalTokens;
    }

    public long unigramCount(int t) {
        return unigrams[t];
    }

    public int bigramCount(int t1, int t2) {
        return bigrams.get(NgramKeys.bigram(t1, t2));
    }

    public int trigramCount(int t1, int t2, int t3) {
        return trigrams.get(NgramKeys.trigram(t1, t2, t3));
    }

    public int distinctBigrams() {
        return bigrams.size();
    }

    public int distinctTrigrams() {
        return trigrams.size();
    }

    long[] unigramsView() {
        return unigrams;
    }

    Long2IntOpenHashMap bigramsView() {
        return bigrams;
    }

    Long2IntOpenHashMap trigramsView() {
        return trigrams;
    }
}

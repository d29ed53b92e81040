package ssd.decoder.ngram.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import ssd.decoder.ngram.KatzConfig;
import ssd.decoder.ngram.KatzTrigram;
import ssd.decoder.ngram.TopCandidates;
import ssd.decoder.ngram.TrigramCounts;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Top-8 latency of the Katz trigram (the paper's bar for a lowest-level draft is 10 us per query).
 * The model is fit on a synthetic Zipf(s = 1.1) token stream over GPT-2's 50,257-token vocabulary, cut into
 * 1,024-token documents. Run:
 * <pre>
 *   mvn -q -B -o -pl decoder test-compile
 *   java -cp decoder/target/test-classes:$(cat decoder/target/test-classpath.txt):decoder/target/classes \
 *        org.openjdk.jmh.Main KatzTopKBenchmark -wi 2 -i 3 -f 1
 * </pre>
 * Contexts: {@code seen} = (t1, t2) pairs at random positions of the training stream that kept trigrams
 * (frequency-weighted, like a decoder's queries), {@code seenUniform} = uniformly random kept trigram contexts,
 * {@code unseen} = random pairs with no kept trigram (bigram or unigram back-off).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx3g"})
public class KatzTopKBenchmark {
    static final int VOCAB = 50257;
    static final int CONTEXTS = 4096;

    @Param("4000000")
    public int tokens;

    @Param("8")
    public int m;

    KatzTrigram model;
    int[] seenT1;
    int[] seenT2;
    int[] uniformT1;
    int[] uniformT2;
    int[] unseenT1;
    int[] unseenT2;

    @Setup(Level.Trial)
    public void build() {
        SplittableRandom rnd = new SplittableRandom(42);
        double[] cdf = zipfCdf(VOCAB, 1.1);
        int[] stream = new int[tokens];
        for (int i = 0; i < tokens; i++) {
            stream[i] = sample(cdf, rnd.nextDouble());
        }
        List<int[]> docs = new ArrayList<>();
        for (int from = 0; from < tokens; from += 1024) {
            docs.add(java.util.Arrays.copyOfRange(stream, from, Math.min(tokens, from + 1024)));
        }
        long t0 = System.nanoTime();
        TrigramCounts counts = docs.parallelStream().collect(TrigramCounts.collector(VOCAB));
        long t1 = System.nanoTime();
        model = KatzTrigram.build(counts, KatzConfig.DEFAULT);
        long t2 = System.nanoTime();
        System.out.printf("%n[katz] %,d tokens: %,d distinct bigrams, %,d distinct trigrams; kept %,d bigrams, "
                        + "%,d trigrams in %,d contexts; count %.1f s, estimate %.1f s%n",
                tokens, counts.distinctBigrams(), counts.distinctTrigrams(), model.bigramEntries(),
                model.trigramEntries(), model.trigramContexts(), (t1 - t0) / 1e9, (t2 - t1) / 1e9);

        seenT1 = new int[CONTEXTS];
        seenT2 = new int[CONTEXTS];
        for (int n = 0; n < CONTEXTS; ) {
            int i = 2 + rnd.nextInt(tokens - 2);
            if (model.hasTrigramContext(stream[i - 2], stream[i - 1])) {
                seenT1[n] = stream[i - 2];
                seenT2[n] = stream[i - 1];
                n++;
            }
        }
        // Uniform over kept contexts: every context of the stream that kept trigrams, each once.
        it.unimi.dsi.fastutil.longs.LongOpenHashSet kept = new it.unimi.dsi.fastutil.longs.LongOpenHashSet();
        for (int i = 2; i < tokens; i++) {
            if (model.hasTrigramContext(stream[i - 2], stream[i - 1])) {
                kept.add((long) stream[i - 2] * VOCAB + stream[i - 1]);
            }
        }
        long[] all = kept.toLongArray();
        java.util.Arrays.sort(all);
        uniformT1 = new int[CONTEXTS];
        uniformT2 = new int[CONTEXTS];
        for (int n = 0; n < CONTEXTS; n++) {
            long key = all[rnd.nextInt(all.length)];
            uniformT1[n] = (int) (key / VOCAB);
            uniformT2[n] = (int) (key % VOCAB);
        }
        unseenT1 = new int[CONTEXTS];
        unseenT2 = new int[CONTEXTS];
        for (int n = 0; n < CONTEXTS; ) {
            int a = rnd.nextInt(VOCAB);
            int b = rnd.nextInt(VOCAB);
            if (!model.hasTrigramContext(a, b)) {
                unseenT1[n] = a;
                unseenT2[n] = b;
                n++;
            }
        }
    }

    static double[] zipfCdf(int n, double s) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 1.0 / Math.pow(i + 1, s);
            cdf[i] = sum;
        }
        for (int i = 0; i < n; i++) {
            cdf[i] /= sum;
        }
        return cdf;
    }

    static int sample(double[] cdf, double u) {
        int lo = 0;
        int hi = cdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Per-thread cursor and output buffers (the decoder's allocation-free path). */
    @State(Scope.Thread)
    public static class Cursor {
        int i;
        final int[] tokens = new int[64];
        final double[] probs = new double[64];

        int next() {
            i = (i + 1) & (CONTEXTS - 1);
            return i;
        }
    }

    @Benchmark
    public int seen(Cursor c) {
        int i = c.next();
        model.topM(seenT1[i], seenT2[i], m, c.tokens, c.probs);
        return c.tokens[0];
    }

    @Benchmark
    public int seenUniform(Cursor c) {
        int i = c.next();
        model.topM(uniformT1[i], uniformT2[i], m, c.tokens, c.probs);
        return c.tokens[0];
    }

    @Benchmark
    public int unseen(Cursor c) {
        int i = c.next();
        model.topM(unseenT1[i], unseenT2[i], m, c.tokens, c.probs);
        return c.tokens[0];
    }

    /** The record-returning variant (allocates two arrays per call). */
    @Benchmark
    public TopCandidates seenAllocating(Cursor c) {
        int i = c.next();
        return model.topM(seenT1[i], seenT2[i], m);
    }
}

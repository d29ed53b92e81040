package ssd.decoder.ngram;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Synthetic corpora for the n-gram tests. */
final class Corpora {
    private Corpora() {
    }

    /** The toy corpus whose Katz probabilities KatzTrigramTest derives by hand (tokens 0..3 occur; V may be larger). */
    static List<int[]> toy() {
        return List.of(
                new int[] {1, 2, 2, 3},
                new int[] {1, 1, 0, 1, 1, 0, 2},
                new int[] {1, 0, 2, 0, 0, 0, 0, 0});
    }

    /**
     * Documents from a second-order Markov source with Zipf-like preferences: lots of repeated n-grams (so
     * counts above k, ties and back-off at every level), some never-seen tokens at the top of the vocabulary.
     */
    static List<int[]> markov(int vocab, int docs, int meanLength, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int used = Math.max(2, vocab - 3);   // the last tokens never occur
        List<int[]> out = new ArrayList<>(docs);
        for (int d = 0; d < docs; d++) {
            int len = 1 + rnd.nextInt(2 * meanLength);
            int[] doc = new int[len];
            for (int i = 0; i < len; i++) {
                int a = i >= 1 ? doc[i - 1] : 0;
                int b = i >= 2 ? doc[i - 2] : 0;
                double u = rnd.nextDouble();
                if (u < 0.5) {
                    doc[i] = (int) ((a * 7L + b * 3L + zipf(rnd, 4)) % used);
                } else if (u < 0.8) {
                    doc[i] = (int) ((a * 5L + zipf(rnd, 8)) % used);
                } else {
                    doc[i] = zipf(rnd, used);
                }
            }
            out.add(doc);
        }
        return out;
    }

    /** A rank in [0, n) with probability proportional to 1/(rank+1), by inversion on the harmonic sums. */
    static int zipf(SplittableRandom rnd, int n) {
        double h = 0;
        for (int i = 1; i <= n; i++) {
            h += 1.0 / i;
        }
        double u = rnd.nextDouble() * h;
        for (int i = 1; i <= n; i++) {
            u -= 1.0 / i;
            if (u <= 0) {
                return i - 1;
            }
        }
        return n - 1;
    }

    static TrigramCounts count(int vocab, List<int[]> docs) {
        TrigramCounts c = new TrigramCounts(vocab);
        docs.forEach(c::addSequence);
        return c;
    }
}

package ssd.datasets.corpus;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.ints.IntOpenHashSet;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;

import java.util.List;

/**
 * Groups files whose MinHash signatures say they are near-duplicates (LSH candidates confirmed on the whole
 * signature) and keeps one file per group: the lowest index, so callers that pass files in a machine-independent
 * order (by content hash) get the same survivors everywhere.
 */
public final class NearDuplicates {
    /** Members kept per LSH bucket; a huge bucket is one cluster already, so later files still meet it. */
    private static final int BUCKET_CAP = 64;

    private NearDuplicates() {
    }

    /** {@code result[i]} is true when file {@code i} is a near-duplicate of a kept file with a lower index. */
    public static boolean[] find(List<int[]> signatures, double threshold) {
        int n = signatures.size();
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) parent[i] = i;
        @SuppressWarnings("unchecked")
        Long2ObjectOpenHashMap<IntArrayList>[] buckets = new Long2ObjectOpenHashMap[MinHash.BANDS];
        for (int b = 0; b < MinHash.BANDS; b++) buckets[b] = new Long2ObjectOpenHashMap<>();
        IntOpenHashSet candidates = new IntOpenHashSet();
        for (int i = 0; i < n; i++) {
            int[] sig = signatures.get(i);
            candidates.clear();
            long[] keys = new long[MinHash.BANDS];
            for (int b = 0; b < MinHash.BANDS; b++) {
                keys[b] = MinHash.bandKey(sig, b);
                IntArrayList members = buckets[b].get(keys[b]);
                if (members != null) candidates.addAll(members);
            }
            for (int j : candidates) {
                if (find(parent, i) != find(parent, j) && MinHash.similarity(sig, signatures.get(j)) >= threshold) {
                    union(parent, i, j);
                }
            }
            for (int b = 0; b < MinHash.BANDS; b++) {
                IntArrayList members = buckets[b].computeIfAbsent(keys[b], k -> new IntArrayList(1));
                if (members.size() < BUCKET_CAP) members.add(i);
            }
        }
        boolean[] duplicate = new boolean[n];
        for (int i = 0; i < n; i++) duplicate[i] = find(parent, i) != i;
        return duplicate;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    /** Joins the two groups under the lower root, so each group's root is its lowest index. */
    private static void union(int[] parent, int i, int j) {
        int a = find(parent, i), b = find(parent, j);
        if (a < b) parent[b] = a;
        else if (b < a) parent[a] = b;
    }
}

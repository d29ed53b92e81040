package ssd.datasets.corpus;

import ssd.datasets.shards.TokenShards;
import ssd.decoder.tokenizer.Gpt2Tokenizer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * Cuts each split into shards before any tokenizing: files ordered by content hash, a new shard whenever the
 * source bytes reach the target. A shard's content is then a function of its file list, which is what lets an
 * interrupted build keep the shards it finished.
 */
final class ShardPlanner {
    private ShardPlanner() {
    }

    static List<PlannedShard> plan(List<KeptFile> kept, double valPercent, long shardSourceBytes) {
        List<KeptFile> train = new ArrayList<>(), val = new ArrayList<>();
        for (KeptFile f : kept) (Splits.isValidation(f.digest(), valPercent) ? val : train).add(f);
        List<PlannedShard> out = new ArrayList<>();
        cut(TokenShards.TRAIN, train, shardSourceBytes, out);
        cut(TokenShards.VAL, val, shardSourceBytes, out);
        return out;
    }

    static String fileName(String split, int index) {
        return String.format("%s-%05d.bin", split, index);
    }

    private static void cut(String split, List<KeptFile> files, long target, List<PlannedShard> out) {
        files.sort(Comparator.comparing(KeptFile::digest));
        List<KeptFile> current = new ArrayList<>();
        long bytes = 0;
        int index = 0;
        for (KeptFile f : files) {
            current.add(f);
            bytes += f.bytes();
            if (bytes >= target) {
                out.add(shard(split, index++, current, bytes));
                current = new ArrayList<>();
                bytes = 0;
            }
        }
        if (!current.isEmpty()) out.add(shard(split, index, current, bytes));
    }

    private static PlannedShard shard(String split, int index, List<KeptFile> files, long bytes) {
        MessageDigest sha = Digest.newSha256();
        sha.update((Gpt2Tokenizer.NAME + "\n").getBytes(StandardCharsets.UTF_8));
        for (KeptFile f : files) sha.update((f.digest().hex() + "\n").getBytes(StandardCharsets.UTF_8));
        return new PlannedShard(split, fileName(split, index), List.copyOf(files), bytes, HexFormat.of().formatHex(sha.digest()));
    }
}

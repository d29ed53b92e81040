package ssd.harness.reliability;

import ssd.datasets.shards.Manifest;
import ssd.datasets.shards.ShardFiles;
import ssd.datasets.tokenize.TokenBuffer;
import ssd.decoder.tokenizer.Gpt2Tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** A token corpus in the real shard format whose ids lie below a small vocabulary, for training tiny models. */
final class TinyTokenCorpus {
    private TinyTokenCorpus() {
    }

    static Path write(Path dir, int vocab, int trainTokens, int valTokens) throws IOException {
        Files.createDirectories(dir);
        Map<String, Manifest.Split> splits = new LinkedHashMap<>();
        splits.put("train", split(dir, "train", vocab, trainTokens, 1));
        splits.put("val", split(dir, "val", vocab, valTokens, 2));
        Manifest.write(dir.resolve(Manifest.FILE), new Manifest(Manifest.FORMAT, Gpt2Tokenizer.NAME, Gpt2Tokenizer.END_OF_TEXT,
                Manifest.DTYPE, "test", "test", "none", List.of(), List.of(), null, Map.of(), splits, null));
        return dir;
    }

    /** Words of 3-6 ids repeated in random order: learnable, so the loss falls. */
    private static Manifest.Split split(Path dir, String name, int vocab, int tokens, long seed) {
        SplittableRandom words = new SplittableRandom(42), rng = new SplittableRandom(seed);
        int[][] vocabulary = new int[12][];
        for (int w = 0; w < vocabulary.length; w++) {
            vocabulary[w] = new int[3 + words.nextInt(4)];
            for (int i = 0; i < vocabulary[w].length; i++) vocabulary[w][i] = words.nextInt(vocab);
        }
        TokenBuffer buf = new TokenBuffer(tokens);
        while (buf.size() < tokens) {
            int[] word = vocabulary[rng.nextInt(vocabulary.length)];
            for (int i = 0; i < word.length && buf.size() < tokens; i++) buf.add(word[i]);
        }
        String file = name + "-00000.bin";
        ShardFiles.Written w = ShardFiles.write(dir.resolve(file), List.of(buf));
        Manifest.Shard shard = new Manifest.Shard(file, 1, 2L * tokens, w.tokens(), w.sha256(), "test");
        return new Manifest.Split(1, 2L * tokens, w.tokens(), List.of(shard));
    }
}

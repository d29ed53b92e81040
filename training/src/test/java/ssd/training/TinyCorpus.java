package ssd.training;

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

/**
 * A token corpus in the real shard format (manifest.json + uint16 shards, checked by TokenShards.open) whose ids all
 * lie below {@link #VOCAB}, so tests can train tiny-vocabulary models. The stream is a random sequence of 16 fixed
 * "words" of 3 to 8 ids: after a word's first ids the rest is predictable from context (ideal loss about 0.5 nats
 * per token, against ln 64 = 4.16 for uniform guessing), and a model with more capacity gets there faster.
 */
final class TinyCorpus {
    static final int VOCAB = 64;

    private TinyCorpus() {
    }

    static Path write(Path dir, int trainTokens, int valTokens) throws IOException {
        Files.createDirectories(dir);
        Map<String, Manifest.Split> splits = new LinkedHashMap<>();
        splits.put("train", split(dir, "train", trainTokens, 1));
        splits.put("val", split(dir, "val", valTokens, 2));
        Manifest m = new Manifest(Manifest.FORMAT, Gpt2Tokenizer.NAME, Gpt2Tokenizer.END_OF_TEXT, Manifest.DTYPE, "test", "test",
                "none", List.of(), List.of(), null, Map.of(), splits, null);
        Manifest.write(dir.resolve(Manifest.FILE), m);
        return dir;
    }

    private static Manifest.Split split(Path dir, String name, int tokens, long seed) {
        SplittableRandom words = new SplittableRandom(42); // the same vocabulary of words for both splits
        int[][] vocabulary = new int[16][];
        for (int w = 0; w < vocabulary.length; w++) {
            vocabulary[w] = new int[3 + words.nextInt(6)];
            for (int i = 0; i < vocabulary[w].length; i++) vocabulary[w][i] = words.nextInt(60);
        }
        SplittableRandom rng = new SplittableRandom(seed);
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

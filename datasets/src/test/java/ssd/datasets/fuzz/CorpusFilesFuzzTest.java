package ssd.datasets.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import ssd.datasets.humaneval.HumanEval;
import ssd.datasets.shards.CorruptShardException;
import ssd.datasets.shards.Manifest;
import ssd.datasets.shards.ShardFiles;
import ssd.datasets.shards.TokenShards;
import ssd.datasets.shards.TokenSplit;
import ssd.datasets.testing.PySamples;
import ssd.datasets.tokenize.TokenBuffer;
import ssd.decoder.tokenizer.Gpt2Tokenizer;
import ssd.testing.fuzz.ByteMutation;
import ssd.testing.fuzz.JsonMutation;
import ssd.testing.fuzz.ParseOracle;
import ssd.testing.fuzz.Scratch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Fuzzes the dataset readers: a token corpus (manifest.json and its uint16 shards, through {@link TokenShards#open}
 * and a read of every token and document) and HumanEval JSONL, plain and gzipped ({@link HumanEval#read}). 10,000
 * cases each; every case reads or ends in an IllegalArgumentException, UncheckedIOException or
 * {@link CorruptShardException} whose first line names the file (for the corpus: its folder).
 */
class CorpusFilesFuzzTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ParseOracle SHARDS = new ParseOracle("token shards and manifest.json", IllegalArgumentException.class,
            UncheckedIOException.class, CorruptShardException.class);
    static final ParseOracle HUMANEVAL = new ParseOracle("HumanEval JSONL", IllegalArgumentException.class, UncheckedIOException.class);

    static Scratch scratch;
    static Path corpus;
    static byte[] manifest, trainShard, humanEval, humanEvalGz;

    @BeforeContainer
    static void writeSeeds() throws IOException {
        scratch = new Scratch("corpus-fuzz");
        corpus = scratch.root().resolve("corpus");
        Files.createDirectories(corpus);
        Map<String, Manifest.Split> splits = new LinkedHashMap<>();
        splits.put(TokenShards.TRAIN, split("train", new int[][]{{1, 2, 3}, {4, 5}}, new int[][]{{6, 7, 8, 9}}));
        splits.put(TokenShards.VAL, split("val", new int[][]{{10, 11}}));
        Manifest m = new Manifest(Manifest.FORMAT, Gpt2Tokenizer.NAME, Gpt2Tokenizer.END_OF_TEXT, Manifest.DTYPE, "2026-01-01T00:00:00Z",
                "host", "3.12", List.of("/src"), List.of(), new Manifest.Settings(1, 2, 3, 0.1, 0.8, 1, 64), Map.of("scanned", 4L),
                splits, new Manifest.Throughput(1, 1, 1, 1, 1, "cpu"));
        Manifest.write(corpus.resolve(Manifest.FILE), m);
        manifest = Scratch.read(corpus.resolve(Manifest.FILE));
        trainShard = Scratch.read(corpus.resolve("train-00000.bin"));
        humanEval = PySamples.HUMANEVAL_FIXTURE.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(humanEval);
        }
        humanEvalGz = gz.toByteArray();
    }

    /** One split, one shard per document group, each document followed by end-of-text. */
    private static Manifest.Split split(String name, int[][]... shards) {
        List<Manifest.Shard> list = new java.util.ArrayList<>();
        long files = 0, tokens = 0;
        for (int s = 0; s < shards.length; s++) {
            List<TokenBuffer> docs = new java.util.ArrayList<>();
            for (int[] doc : shards[s]) {
                TokenBuffer b = new TokenBuffer(doc.length + 1);
                for (int t : doc) b.add(t);
                b.add(Gpt2Tokenizer.END_OF_TEXT);
                docs.add(b);
            }
            String file = String.format("%s-%05d.bin", name, s);
            ShardFiles.Written w = ShardFiles.write(corpus.resolve(file), docs);
            list.add(new Manifest.Shard(file, shards[s].length, 2 * w.tokens(), w.tokens(), w.sha256(), "fp" + s));
            files += shards[s].length;
            tokens += w.tokens();
        }
        return new Manifest.Split(files, 2 * tokens, tokens, list);
    }

    @AfterContainer
    static void report() {
        System.out.println(SHARDS.summary());
        System.out.println(HUMANEVAL.summary());
        scratch.close();
    }

    // ---- token corpus: 4,000 + 2,000 + 2,500 + 1,500

    @Property(tries = 4000, shrinking = ShrinkingMode.BOUNDED)
    void mutatedManifestJson(@ForAll("jsonEdits") List<JsonMutation> edits) {
        openCorpus(JsonMutation.applyAll(manifest, edits), trainShard, edits);
    }

    @Property(tries = 2000, shrinking = ShrinkingMode.BOUNDED)
    void mutatedManifestBytes(@ForAll("byteEdits") List<ByteMutation> edits) {
        openCorpus(ByteMutation.applyAll(manifest, edits), trainShard, edits);
    }

    /** Shard edits with the manifest's size and sha256 updated to match, so the reader gets past the checksum. */
    @Property(tries = 2500, shrinking = ShrinkingMode.BOUNDED)
    void mutatedShardWithMatchingManifest(@ForAll("byteEdits") List<ByteMutation> edits) throws IOException {
        byte[] shard = ByteMutation.applyAll(trainShard, edits);
        ObjectNode m = (ObjectNode) JSON.readTree(manifest);
        ObjectNode entry = (ObjectNode) m.get("splits").get("train").get("shards").get(0);
        entry.put("tokens", shard.length / 2);
        entry.put("sha256", sha256(shard));
        openCorpus(JSON.writeValueAsBytes(m), shard, edits);
    }

    @Property(tries = 1500)
    void truncatedManifestOrShard(@ForAll @IntRange(min = 0, max = 100_000) int keep, @ForAll boolean shard) {
        byte[] m = shard ? manifest : Arrays.copyOf(manifest, keep % (manifest.length + 1));
        byte[] s = shard ? Arrays.copyOf(trainShard, keep % (trainShard.length + 1)) : trainShard;
        openCorpus(m, s, (shard ? "shard" : "manifest") + " truncated at " + keep);
    }

    // ---- HumanEval JSONL: 4,000 + 3,000 + 3,000

    @Property(tries = 4000, shrinking = ShrinkingMode.BOUNDED)
    void mutatedHumanEvalRecord(@ForAll("jsonEdits") List<JsonMutation> edits, @ForAll @IntRange(max = 1) int line) {
        String[] lines = new String(humanEval, StandardCharsets.UTF_8).split("\n");
        lines[line] = new String(JsonMutation.applyAll(lines[line].getBytes(StandardCharsets.UTF_8), edits), StandardCharsets.UTF_8);
        readHumanEval("he.jsonl", String.join("\n", lines).getBytes(StandardCharsets.UTF_8), edits);
    }

    @Property(tries = 3000, shrinking = ShrinkingMode.BOUNDED)
    void mutatedHumanEvalBytes(@ForAll("byteEdits") List<ByteMutation> edits) {
        readHumanEval("he.jsonl", ByteMutation.applyAll(humanEval, edits), edits);
    }

    @Property(tries = 3000, shrinking = ShrinkingMode.BOUNDED)
    void mutatedHumanEvalGzip(@ForAll("byteEdits") List<ByteMutation> edits) {
        readHumanEval("he.jsonl.gz", ByteMutation.applyAll(humanEvalGz, edits), edits);
    }

    @Provide
    Arbitrary<List<ByteMutation>> byteEdits() {
        return ByteMutation.lists();
    }

    @Provide
    Arbitrary<List<JsonMutation>> jsonEdits() {
        return JsonMutation.lists();
    }

    // ----

    /** The corpus folder with this manifest and first train shard (the other shards as built), read in full. */
    static void openCorpus(byte[] manifestBytes, byte[] shard, Object input) {
        Path dir = scratch.root().resolve("case");
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                try (var files = Files.list(corpus)) {
                    for (Path f : files.toList()) Files.copy(f, dir.resolve(f.getFileName()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Scratch.write(dir.resolve(Manifest.FILE), manifestBytes);
        Scratch.write(dir.resolve("train-00000.bin"), shard);
        SHARDS.check(dir.toString(), input, () -> {
            TokenShards shards = TokenShards.open(dir);
            for (String name : shards.splitNames()) {
                TokenSplit split = shards.split(name);
                int[] all = new int[(int) Math.min(split.tokens(), 1 << 20)];
                split.read(0, all, 0, all.length);
                for (Iterator<int[]> docs = split.documents(); docs.hasNext(); ) docs.next();
                for (Iterator<int[]> w = split.windows(3); w.hasNext(); ) w.next();
            }
            return shards;
        });
    }

    static void readHumanEval(String name, byte[] bytes, Object input) {
        Path file = scratch.root().resolve(name);
        Scratch.write(file, bytes);
        HUMANEVAL.check(file.toString(), input, () -> HumanEval.read(file, w -> { }));
    }

    static String sha256(byte[] b) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

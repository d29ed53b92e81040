package ssd.decoder.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import ssd.common.Dtype;
import ssd.decoder.model.GPT2Checkpoint;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Weights;
import ssd.testing.fuzz.ByteMutation;
import ssd.testing.fuzz.Interesting;
import ssd.testing.fuzz.JsonMutation;
import ssd.testing.fuzz.ParseOracle;
import ssd.testing.fuzz.Scratch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Fuzzes what a checkpoint directory holds: mutated and truncated safetensors files and headers, adversarial header
 * entries (2^60-byte tensors, shapes whose element count overflows), mutated config.json and
 * model.safetensors.index.json. 10,000 cases per file kind go through its reader ({@link CheckpointFiles} with every
 * tensor mapped and touched, {@link GPT2Config#read}), 300 more per kind through the whole loader
 * ({@link GPT2Checkpoint#load}, which copies every tensor into libtorch). Every case loads or ends in a
 * {@link CheckpointException} naming the file (or, for a fault of the directory as a whole, the directory).
 */
class CheckpointFuzzTest {
    static final GPT2Config CONFIG = GPT2Config.of(23, 8, 8, 1, 2);
    static final ObjectMapper JSON = new ObjectMapper();
    static final ParseOracle SAFETENSORS = new ParseOracle("safetensors", CheckpointException.class);
    static final ParseOracle CONFIG_JSON = new ParseOracle("config.json", CheckpointException.class);
    static final ParseOracle INDEX = new ParseOracle("model.safetensors.index.json", CheckpointException.class);

    static Scratch scratch;
    /** A valid single-file checkpoint and a valid sharded one, as the project writes them. */
    static byte[] config, single, shardedIndex;
    static Path sharded;

    @BeforeContainer
    static void writeSeeds() throws Exception {
        scratch = new Scratch("checkpoint-fuzz");
        Path one = scratch.root().resolve("single"), many = scratch.root().resolve("sharded");
        try (GPT2Weights w = GPT2Weights.random(CONFIG, 5, 0.5, new Device("cpu"), torch.ScalarType.Float)) {
            GPT2Checkpoint.save(one, w, Dtype.FP32, 0);
            GPT2Checkpoint.save(many, w, Dtype.BF16, 400);
        }
        config = Files.readAllBytes(one.resolve(GPT2Config.FILE_NAME));
        single = Files.readAllBytes(one.resolve(SafeTensorsWriter.SINGLE_FILE));
        sharded = many;
        shardedIndex = Files.readAllBytes(many.resolve(SafeTensorsWriter.INDEX_FILE));
    }

    @AfterContainer
    static void report() {
        for (ParseOracle o : List.of(SAFETENSORS, CONFIG_JSON, INDEX)) System.out.println(o.summary());
        scratch.close();
    }

    // ---- safetensors through the reader (CheckpointFiles, every tensor mapped and touched): 4,000 + 3,000 + 1,500 + 1,500

    @Property(tries = 4000, shrinking = ShrinkingMode.BOUNDED)
    void mutatedSafetensorsBytes(@ForAll("byteEdits") List<ByteMutation> edits) {
        readWith(SAFETENSORS, SafeTensorsWriter.SINGLE_FILE, ByteMutation.applyAll(single, edits), edits);
    }

    @Property(tries = 3000, shrinking = ShrinkingMode.BOUNDED)
    void mutatedSafetensorsHeader(@ForAll("jsonEdits") List<JsonMutation> edits) {
        readWith(SAFETENSORS, SafeTensorsWriter.SINGLE_FILE, reframe(single, h -> JsonMutation.applyAll(h, edits)), edits);
    }

    @Property(tries = 1500)
    void truncatedSafetensors(@ForAll @IntRange(min = 0, max = 100_000) int keep) {
        byte[] cut = Arrays.copyOf(single, Math.min(keep % (single.length + 1), single.length));
        readWith(SAFETENSORS, SafeTensorsWriter.SINGLE_FILE, cut, "truncated to " + cut.length + " bytes");
    }

    /** Header entries with boundary shapes and offsets: huge claims are refused before anything is allocated. */
    @Property(tries = 1500, shrinking = ShrinkingMode.BOUNDED)
    void adversarialHeaderEntries(@ForAll("dtypes") String dtype, @ForAll("dims") List<Long> shape,
                                  @ForAll("longs") long begin, @ForAll("spans") long span, @ForAll @IntRange(max = 64) int dataBytes) {
        long end = begin + span;
        ObjectNode header = JSON.createObjectNode();
        ObjectNode e = header.putObject("t");
        e.put("dtype", dtype);
        ArrayNode s = e.putArray("shape");
        shape.forEach(s::add);
        e.putArray("data_offsets").add(begin).add(end);
        byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer file = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        file.putLong(h.length).put(h);
        readWith(SAFETENSORS, SafeTensorsWriter.SINGLE_FILE, file.array(), header.toString());
    }

    /** End to end: the same edits through GPT2Checkpoint.load, which copies every tensor into libtorch. */
    @Property(tries = 300, shrinking = ShrinkingMode.BOUNDED)
    void mutatedSafetensorsLoaded(@ForAll("byteEdits") List<ByteMutation> bytes, @ForAll("jsonEdits") List<JsonMutation> header) {
        byte[] file = bytes.size() % 2 == 0 ? ByteMutation.applyAll(single, bytes) : reframe(single, h -> JsonMutation.applyAll(h, header));
        loadWith(SAFETENSORS, SafeTensorsWriter.SINGLE_FILE, file, bytes.size() % 2 == 0 ? bytes : header);
    }

    // ---- config.json through its reader: 6,000 + 4,000, and 300 end to end

    @Property(tries = 6000, shrinking = ShrinkingMode.BOUNDED)
    void mutatedConfigJson(@ForAll("jsonEdits") List<JsonMutation> edits) {
        readConfig(JsonMutation.applyAll(config, edits), edits);
    }

    @Property(tries = 4000, shrinking = ShrinkingMode.BOUNDED)
    void mutatedConfigBytes(@ForAll("byteEdits") List<ByteMutation> edits) {
        readConfig(ByteMutation.applyAll(config, edits), edits);
    }

    /**
     * The whole load of a checkpoint with a mutated config (including one claiming 2^31 - 1 layers, refused before
     * the expected-tensor map is built; {@link ConfigClaimsTest} pins that case).
     */
    @Property(tries = 300, shrinking = ShrinkingMode.BOUNDED)
    void mutatedConfigLoaded(@ForAll("jsonEdits") List<JsonMutation> edits) {
        Path dir = writeCase(GPT2Config.FILE_NAME, JsonMutation.applyAll(config, edits));
        CONFIG_JSON.check(dir.toString(), edits, () -> load(dir));
    }

    // ---- model.safetensors.index.json through CheckpointFiles: 6,000 + 4,000, and 300 end to end

    @Property(tries = 6000, shrinking = ShrinkingMode.BOUNDED)
    void mutatedIndexJson(@ForAll("jsonEdits") List<JsonMutation> edits) {
        readSharded(JsonMutation.applyAll(shardedIndex, edits), edits, false);
    }

    @Property(tries = 4000, shrinking = ShrinkingMode.BOUNDED)
    void mutatedIndexBytes(@ForAll("byteEdits") List<ByteMutation> edits) {
        readSharded(ByteMutation.applyAll(shardedIndex, edits), edits, false);
    }

    @Property(tries = 300, shrinking = ShrinkingMode.BOUNDED)
    void mutatedIndexLoaded(@ForAll("jsonEdits") List<JsonMutation> edits) {
        readSharded(JsonMutation.applyAll(shardedIndex, edits), edits, true);
    }

    @Provide
    Arbitrary<List<ByteMutation>> byteEdits() {
        return ByteMutation.lists();
    }

    @Provide
    Arbitrary<List<JsonMutation>> jsonEdits() {
        return JsonMutation.lists();
    }

    @Provide
    Arbitrary<String> dtypes() {
        return Arbitraries.of("F32", "F16", "BF16", "I64", "", "f32");
    }

    /** Offsets: boundary values, or small ones that fit the data section. */
    @Provide
    Arbitrary<Long> longs() {
        return Arbitraries.oneOf(Interesting.longs(), Arbitraries.longs().between(0, 64));
    }

    /** end - begin: mostly the few bytes a small data section holds, sometimes anything. */
    @Provide
    Arbitrary<Long> spans() {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(0, 16)), net.jqwik.api.Tuple.of(1, Interesting.longs()));
    }

    /** Dimensions: boundary values, small sizes, and powers of two whose product wraps a long to a small number. */
    @Provide
    Arbitrary<List<Long>> dims() {
        Arbitrary<Long> powers = Arbitraries.integers().between(0, 63).map(k -> 1L << k);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, Interesting.longs()), net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(0, 8)),
                net.jqwik.api.Tuple.of(3, powers)).list().ofMaxSize(4);
    }

    // ----

    /**
     * The case folder of one file kind, reused by every case of that kind: the valid checkpoint written once, then
     * only {@code fileName} rewritten per case. Rewriting a file that an earlier case mapped is safe: the reader
     * copied nothing it will touch again, and the loader copied what it read.
     */
    static Path writeCase(String fileName, byte[] bytes) {
        Path dir = scratch.root().resolve("case-" + fileName);
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            Scratch.write(dir.resolve(GPT2Config.FILE_NAME), config);
            Scratch.write(dir.resolve(SafeTensorsWriter.SINGLE_FILE), single);
        }
        Scratch.write(dir.resolve(fileName), bytes);
        return dir;
    }

    /** The reader: CheckpointFiles.open, then every accepted tensor mapped and its last byte read. */
    static void readWith(ParseOracle oracle, String fileName, byte[] bytes, Object edits) {
        Path dir = writeCase(fileName, bytes);
        oracle.check(dir.resolve(fileName).toString(), edits, () -> mapEveryTensor(dir));
    }


    /** The loader, end to end. Errors about the directory as a whole (a missing tensor) name the checkpoint directory. */
    static void loadWith(ParseOracle oracle, String fileName, byte[] bytes, Object edits) {
        Path dir = writeCase(fileName, bytes);
        oracle.check(dir.toString(), edits, () -> load(dir));
    }

    static void readConfig(byte[] bytes, Object edits) {
        Path dir = writeCase(GPT2Config.FILE_NAME, bytes);
        Path file = dir.resolve(GPT2Config.FILE_NAME);
        CONFIG_JSON.check(file.toString(), edits, () -> GPT2Config.read(file));
    }

    static void readSharded(byte[] index, Object edits, boolean load) {
        Path dir = scratch.root().resolve("sharded-case");
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                try (Stream<Path> files = Files.list(sharded)) {
                    for (Path f : files.toList()) Files.copy(f, dir.resolve(f.getFileName()));
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Scratch.write(dir.resolve(SafeTensorsWriter.INDEX_FILE), index);
        // A shard the index names may be the one at fault, so the message may name it rather than the index.
        INDEX.check(dir.toString(), edits, () -> load ? load(dir) : mapEveryTensor(dir));
    }

    static Object load(Path dir) {
        GPT2Checkpoint.load(dir, Dtype.FP32, new Device("cpu")).close();
        return null;
    }

    static Object mapEveryTensor(Path dir) {
        try (CheckpointFiles files = CheckpointFiles.open(dir)) {
            for (var e : files.tensors().entrySet()) {
                ByteBuffer b = files.map(e.getKey());
                TensorInfo t = e.getValue();
                java.math.BigInteger needs = java.math.BigInteger.valueOf(t.dtype().bytes());
                for (long d : t.shape()) needs = needs.multiply(java.math.BigInteger.valueOf(d));
                // What the loader copies into libtorch is the shape's worth of bytes: it must be what the file holds.
                if (!needs.equals(java.math.BigInteger.valueOf(t.byteCount()))) {
                    throw new AssertionError("accepted " + e.getKey() + " " + t.shapeString() + " " + t.dtype() + " (" + needs + " bytes) holding " + t.byteCount());
                }
                if (b.remaining() != t.byteCount()) throw new AssertionError("mapped " + b.remaining() + " bytes of " + e.getKey());
                if (b.remaining() > 0) b.get(b.remaining() - 1);
            }
        }
        return null;
    }

    /** The file with its JSON header replaced by {@code edit(header)}, length prefix recomputed, data section kept. */
    static byte[] reframe(byte[] file, java.util.function.UnaryOperator<byte[]> edit) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) b.getLong(0);
        byte[] header = edit.apply(Arrays.copyOfRange(file, 8, 8 + n));
        ByteBuffer out = ByteBuffer.allocate(8 + header.length + file.length - 8 - n).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(header.length).put(header).put(file, 8 + n, file.length - 8 - n);
        return out.array();
    }
}

package ssd.decoder.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ssd.common.Dtype;
import ssd.decoder.model.GPT2Checkpoint;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every way a checkpoint can be broken gives a CheckpointException naming the file, never a JVM crash. */
class CorruptCheckpointTest {
    static final GPT2Config CONFIG = GPT2Config.of(61, 32, 16, 1, 2);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    Path goodCheckpoint() throws Exception {
        try (GPT2Weights w = GPT2Weights.random(CONFIG, 3, 0.5, new Device("cpu"), torch.ScalarType.Float)) {
            GPT2Checkpoint.save(dir, w, Dtype.FP32, 0);
        }
        return dir.resolve("model.safetensors");
    }

    void load() {
        GPT2Checkpoint.load(dir, Dtype.FP32, new Device("cpu")).close();
    }

    /** Rewrites the safetensors file with an edited header, keeping the data section. */
    void editHeader(java.util.function.Consumer<ObjectNode> edit) throws Exception {
        Path file = dir.resolve("model.safetensors");
        byte[] all = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        ObjectNode header = (ObjectNode) JSON.readTree(new String(all, 8, (int) n, StandardCharsets.UTF_8));
        edit.accept(header);
        byte[] h = JSON.writeValueAsBytes(header);
        ByteBuffer out = ByteBuffer.allocate(8 + h.length + all.length - 8 - (int) n).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(h.length).put(h).put(all, 8 + (int) n, all.length - 8 - (int) n);
        Files.write(file, out.array());
    }

    @Test
    void headerLengthBeyondTheFile() throws Exception {
        Path f = goodCheckpoint();
        byte[] all = Files.readAllBytes(f);
        ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).putLong(all.length * 10L);
        Files.write(f, all);
        assertThatThrownBy(this::load).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("model.safetensors").hasMessageContaining("beyond the file");
    }

    @Test
    void truncatedFile() throws Exception {
        Path f = goodCheckpoint();
        byte[] all = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(all, all.length - 100));
        assertThatThrownBy(this::load).isInstanceOf(CheckpointException.class).hasMessageContaining("out of range");
    }

    @Test
    void malformedJsonHeader() throws Exception {
        Path f = goodCheckpoint();
        byte[] all = Files.readAllBytes(f);
        all[8] = '[';
        all[9] = '}';
        Files.write(f, all);
        assertThatThrownBy(this::load).isInstanceOf(CheckpointException.class).hasMessageContaining("malformed JSON header");
    }

    @Test
    void offsetsOutOfRange() throws Exception {
        goodCheckpoint();
        editHeader(h -> ((com.fasterxml.jackson.databind.node.ArrayNode) h.get("transformer.ln_f.bias").get("data_offsets")).set(1, 1L << 40));
        assertThatThrownBy(this::load).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("transformer.ln_f.bias").hasMessageContaining("out of range");
    }

    @Test
    void overlappingTensors() throws Exception {
        goodCheckpoint();
        editHeader(h -> {
            ObjectNode a = (ObjectNode) h.get("transformer.ln_f.weight");
            ObjectNode b = (ObjectNode) h.get("transformer.ln_f.bias");
            b.set("data_offsets", a.get("data_offsets").deepCopy());
        });
        assertThatThrownBy(this::load).isInstanceOf(CheckpointException.class).hasMessageContaining("overlap");
    }

    @Test
    void dtypeAndShapeDisagreeWithByteCount() throws Exception {
        goodCheckpoint();
        editHeader(h -> ((ObjectNode) h.get("transformer.ln_f.bias")).put("dtype", "F16"));
        assertThatThrownBy(this::load).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("transformer.ln_f.bias").hasMessageContaining("needs 32 bytes");
    }

    /** Fuzz regression: [2^62] F32 is 2^64 bytes, which wrapped to 0 and passed as the empty span [0, 0]. */
    @Test
    void aShapeWhoseByteCountWrapsALongIsRefused() throws Exception {
        goodCheckpoint();
        editHeader(h -> {
            ObjectNode t = (ObjectNode) h.get("transformer.ln_f.bias");
            t.putArray("shape").add(1L << 62);
            t.putArray("data_offsets").add(0).add(0);
        });
        assertThatThrownBy(this::load).isInstanceOf(CheckpointException.class).hasMessageContaining("model.safetensors")
                .hasMessageContaining("transformer.ln_f.bias").hasMessageContaining("more than 2^63 bytes");
    }

    /** Fuzz regression: a fractional dimension or a quoted offset was read as a number (3.5 as 3, "12" as 12). */
    @Test
    void nonIntegerShapesAndOffsetsAreRefused() throws Exception {
        goodCheckpoint();
        editHeader(h -> ((com.fasterxml.jackson.databind.node.ArrayNode) h.get("transformer.ln_f.bias").get("shape")).set(0, 16.5));
        assertThatThrownBy(this::load).isInstanceOf(CheckpointException.class).hasMessageContaining("bad shape");
        goodCheckpoint();
        editHeader(h -> {
            var offsets = (com.fasterxml.jackson.databind.node.ArrayNode) h.get("transformer.ln_f.bias").get("data_offsets");
            offsets.set(0, JSON.getNodeFactory().textNode(offsets.get(0).asText()));
        });
        assertThatThrownBy(this::load).isInstanceOf(CheckpointException.class).hasMessageContaining("data_offsets");
    }

    @Test
    void unsupportedDtype() throws Exception {
        goodCheckpoint();
        editHeader(h -> ((ObjectNode) h.get("transformer.ln_f.bias")).put("dtype", "I64"));
        assertThatThrownBy(this::load).isInstanceOf(CheckpointException.class).hasMessageContaining("I64 is not supported");
    }

    @Test
    void missingTensor() throws Exception {
        goodCheckpoint();
        editHeader(h -> h.remove("transformer.h.0.mlp.c_fc.bias"));
        assertThatThrownBy(this::load).isInstanceOf(CheckpointException.class).hasMessageContaining("missing tensor 'transformer.h.0.mlp.c_fc.bias'");
    }

    @Test
    void unexpectedTensor() throws Exception {
        goodCheckpoint();
        editHeader(h -> h.set("transformer.h.7.ln_1.bias", h.remove("transformer.h.0.ln_1.bias")));
        assertThatThrownBy(this::load).isInstanceOf(CheckpointException.class).hasMessageContaining("unexpected tensor 'transformer.h.7.ln_1.bias'");
    }

    @Test
    void shapeThatDisagreesWithConfig() throws Exception {
        goodCheckpoint();
        GPT2Config wider = GPT2Config.of(61, 32, 32, 1, 2);
        wider.write(dir.resolve("config.json"));
        assertThatThrownBy(this::load).isInstanceOf(CheckpointException.class).hasMessageContaining("config.json implies");
    }

    @Test
    void missingShard() throws Exception {
        try (GPT2Weights w = GPT2Weights.random(CONFIG, 3, 0.5, new Device("cpu"), torch.ScalarType.Float)) {
            GPT2Checkpoint.save(dir, w, Dtype.FP32, 2048);
        }
        Files.delete(dir.resolve("model-00002-of-" + String.format("%05d", shardCount()) + ".safetensors"));
        assertThatThrownBy(this::load).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("model-00002-of-").hasMessageContaining("missing shard");
    }

    long shardCount() throws Exception {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("model-")).count();
        }
    }

    @Test
    void missingConfigAndMissingWeights() throws Exception {
        goodCheckpoint();
        Files.delete(dir.resolve("model.safetensors"));
        assertThatThrownBy(this::load).isInstanceOf(CheckpointException.class).hasMessageContaining("no model.safetensors");
        Files.delete(dir.resolve("config.json"));
        assertThatThrownBy(this::load).isInstanceOf(CheckpointException.class).hasMessageContaining("config.json").hasMessageContaining("not found");
    }

    @Test
    void readsOriginalGpt2KeyStyleWithBuffersAndTiedLmHead() throws Exception {
        goodCheckpoint();
        try (GPT2Weights reference = GPT2Checkpoint.load(dir, Dtype.FP32, new Device("cpu"))) {
            // Rename to the OpenAI-converted style: no "transformer." prefix, plus attn.bias / masked_bias buffers and lm_head.
            List<NamedTensor> renamed = new ArrayList<>();
            for (NamedTensor t : GPT2Checkpoint.toNamedTensors(reference, Dtype.FP32)) {
                renamed.add(new NamedTensor(t.name().substring("transformer.".length()), t.dtype(), t.shape(), t.data()));
                if (t.name().equals("transformer.wte.weight")) renamed.add(new NamedTensor("lm_head.weight", t.dtype(), t.shape(), t.data()));
            }
            ByteBuffer causal = ByteBuffer.allocate(4 * 32 * 32).order(ByteOrder.LITTLE_ENDIAN);
            renamed.add(new NamedTensor("h.0.attn.bias", Dtype.FP32, new long[]{1, 1, 32, 32}, causal));
            renamed.add(new NamedTensor("h.0.attn.masked_bias", Dtype.FP32, new long[]{}, ByteBuffer.allocate(4)));
            Path other = dir.resolve("openai");
            SafeTensorsWriter.write(other, renamed, 0);
            CONFIG.write(other.resolve("config.json"));
            try (GPT2Weights back = GPT2Checkpoint.load(other, Dtype.FP32, new Device("cpu"))) {
                CheckpointRoundTripTest.assertIdentical(reference, back);
            }
        }
    }

    @Test
    void configErrorsNameTheFile() throws Exception {
        goodCheckpoint();
        Files.writeString(dir.resolve("config.json"), "{\"n_embd\": 16, \"n_layer\": 1}");
        assertThatThrownBy(this::load).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("config.json").hasMessageContaining("vocab_size");
        Files.writeString(dir.resolve("config.json"), "{not json");
        assertThatThrownBy(this::load).isInstanceOf(CheckpointException.class).hasMessageContaining("malformed JSON");
    }

    @Test
    void aFileThatIsNotSafetensorsAtAll() throws Exception {
        goodCheckpoint();
        Files.writeString(dir.resolve("model.safetensors"), "hello");
        assertThatThrownBy(this::load).isInstanceOf(CheckpointException.class).hasMessageContaining("too short");
        assertThat(dir.resolve("config.json")).exists();
    }
}

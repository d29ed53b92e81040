package ssd.decoder.checkpoint;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import ssd.common.Dtype;
import ssd.decoder.model.GPT2Checkpoint;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Weights;
import ssd.decoder.torch.Torch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CheckpointRoundTripTest {
    static final GPT2Config CONFIG = GPT2Config.of(61, 32, 16, 2, 2);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Dtype.class)
    void writeThenReadGivesIdenticalTensors(Dtype dtype) throws Exception {
        try (GPT2Weights w = GPT2Weights.random(CONFIG, 3, 0.5, new Device("cpu"), Torch.scalarType(dtype))) {
            GPT2Checkpoint.save(dir, w, dtype, 0);
            assertThat(dir.resolve("model.safetensors")).exists();
            try (GPT2Weights back = GPT2Checkpoint.load(dir, dtype, new Device("cpu"))) {
                assertIdentical(w, back);
                assertThat(Torch.dtypeOf(back.wte())).isEqualTo(dtype);
            }
        }
    }

    @Test
    void shardedCheckpointRoundTripsAndListsEveryTensorInItsIndex() throws Exception {
        try (GPT2Weights w = GPT2Weights.random(CONFIG, 4, 0.5, new Device("cpu"), torch.ScalarType.Float)) {
            List<Path> files = GPT2Checkpoint.save(dir, w, Dtype.FP32, 4096);
            assertThat(files.stream().filter(p -> p.getFileName().toString().matches("model-\\d{5}-of-\\d{5}\\.safetensors"))).hasSizeGreaterThan(1);
            assertThat(dir.resolve("model.safetensors.index.json")).exists();
            assertThat(dir.resolve("model.safetensors")).doesNotExist();
            try (GPT2Weights back = GPT2Checkpoint.load(dir, Dtype.FP32, new Device("cpu"))) {
                assertIdentical(w, back);
            }
        }
    }

    @Test
    void storedLayoutIsHuggingFaceConv1D() throws Exception {
        try (GPT2Weights w = GPT2Weights.random(CONFIG, 5, 0.5, new Device("cpu"), torch.ScalarType.Float)) {
            GPT2Checkpoint.save(dir, w, Dtype.FP32, 0);
        }
        try (SafeTensorsFile f = SafeTensorsFile.open(dir.resolve("model.safetensors"))) {
            assertThat(f.tensors().get("transformer.h.0.attn.c_attn.weight").shape()).containsExactly(16, 48);
            assertThat(f.tensors().get("transformer.h.1.mlp.c_fc.weight").shape()).containsExactly(16, 64);
            assertThat(f.tensors().get("transformer.h.1.mlp.c_proj.weight").shape()).containsExactly(64, 16);
            assertThat(f.tensors()).doesNotContainKey("lm_head.weight");
            assertThat(f.metadata()).containsEntry("format", "pt");
        }
        assertThat(Files.readString(dir.resolve("config.json"))).contains("\"model_type\" : \"gpt2\"", "\"n_layer\" : 2");
    }

    static void assertIdentical(GPT2Weights a, GPT2Weights b) {
        List<Tensor> pa = a.parameters(), pb = b.parameters();
        assertThat(pb).hasSameSizeAs(pa);
        for (int i = 0; i < pa.size(); i++) {
            assertThat(pb.get(i).sizes().vec().get()).isEqualTo(pa.get(i).sizes().vec().get());
            assertThat(Torch.toBytes(pb.get(i))).as("parameter %d", i).isEqualTo(Torch.toBytes(pa.get(i)));
        }
    }
}

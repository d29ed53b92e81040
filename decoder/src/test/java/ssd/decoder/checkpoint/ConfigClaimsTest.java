package ssd.decoder.checkpoint;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import ssd.common.Dtype;
import ssd.decoder.model.GPT2Checkpoint;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Weights;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Regression examples from the checkpoint fuzz tests about what config.json claims against the safetensors files. */
class ConfigClaimsTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aConfigClaimingTwoBillionLayersIsRefusedAtOnce() throws Exception {
        checkpointClaiming(1, 2147483647);
        assertThatThrownBy(() -> GPT2Checkpoint.load(dir, Dtype.FP32, new Device("cpu")))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("config.json")
                .hasMessageContaining("n_layer is 2147483647 but the safetensors files hold tensors of 1 layer");
    }

    @Test
    void aConfigClaimingOneLayerMoreThanTheFilesHoldNamesConfigJson() throws Exception {
        checkpointClaiming(1, 2);
        assertThatThrownBy(() -> GPT2Checkpoint.load(dir, Dtype.FP32, new Device("cpu")))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("config.json").hasMessageContaining("n_layer is 2");
    }

    @Test
    void aConfigClaimingFewerLayersNamesTheFirstTensorItDoesNotExpect() throws Exception {
        checkpointClaiming(2, 1);
        assertThatThrownBy(() -> GPT2Checkpoint.load(dir, Dtype.FP32, new Device("cpu")))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("unexpected tensor 'transformer.h.1.");
    }

    private void checkpointClaiming(int saved, int claimed) throws Exception {
        try (GPT2Weights w = GPT2Weights.random(GPT2Config.of(23, 8, 8, saved, 2), 5, 0.5, new Device("cpu"), torch.ScalarType.Float)) {
            GPT2Checkpoint.save(dir, w, Dtype.FP32, 0);
        }
        Path config = dir.resolve(GPT2Config.FILE_NAME);
        String json = Files.readString(config);
        assertThat(json).contains("\"n_layer\" : " + saved);
        Files.writeString(config, json.replace("\"n_layer\" : " + saved, "\"n_layer\" : " + claimed));
    }
}

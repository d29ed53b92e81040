package ssd.roofline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ssd.common.Dtype;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelShapesTest {
    @Test
    void presetsHaveTheHuggingFaceParameterCounts() {
        // Parameter counts Hugging Face reports for the four GPT-2 checkpoints (tied LM head).
        assertThat(ModelShapes.preset("gpt2").parameters()).isEqualTo(124_439_808L);
        assertThat(ModelShapes.preset("gpt2-medium").parameters()).isEqualTo(354_823_168L);
        assertThat(ModelShapes.preset("gpt2-large").parameters()).isEqualTo(774_030_080L);
        assertThat(ModelShapes.preset("gpt2-xl").parameters()).isEqualTo(1_557_611_200L);
        assertThat(ModelShapes.preset("gpt2-large")).isEqualTo(new ModelShape(36, 1280, 20, 50257, 1024));
    }

    @Test
    void readsConfigJsonIgnoringOtherKeys(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("config.json");
        Files.writeString(cfg, "{\"model_type\":\"gpt2\",\"n_layer\":4,\"n_embd\":512,\"n_head\":8,\"vocab_size\":50257,"
                + "\"n_positions\":1024,\"n_ctx\":1024,\"activation_function\":\"gelu_new\"}");
        assertThat(ModelShapes.resolve(cfg.toString())).isEqualTo(new ModelShape(4, 512, 8, 50257, 1024));
        assertThat(ModelShapes.resolve(dir.toString())).isEqualTo(new ModelShape(4, 512, 8, 50257, 1024));
    }

    @Test
    void shorthandUsesGpt2VocabularyAnd64WideHeads() {
        assertThat(ModelShapes.resolve("4x512")).isEqualTo(new ModelShape(4, 512, 8, 50257, 1024));
        assertThat(ModelShapes.name(ModelShapes.resolve("4x512"))).isEqualTo("4x512");
        assertThat(ModelShapes.name(ModelShapes.resolve("GPT2-Large"))).isEqualTo("gpt2-large");
    }

    @Test
    void clearErrors(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ModelShapes.resolve("gpt3")).hasMessageContaining("model 'gpt3'").hasMessageContaining("gpt2-large");
        Path cfg = dir.resolve("config.json");
        Files.writeString(cfg, "{\"n_layer\":4,\"n_embd\":512,\"vocab_size\":50257,\"n_positions\":1024}");
        assertThatThrownBy(() -> ModelShapes.fromConfigJson(cfg)).hasMessageContaining(cfg.toString())
                .hasMessageContaining("missing required field 'n_head'");
        Files.writeString(cfg, "{\"n_layer\":4,\"n_embd\":500,\"n_head\":8,\"vocab_size\":50257,\"n_positions\":1024}");
        assertThatThrownBy(() -> ModelShapes.fromConfigJson(cfg)).hasMessageContaining("not divisible by n_head 8");
        Files.writeString(cfg, "{\"n_layer\":");
        assertThatThrownBy(() -> ModelShapes.fromConfigJson(cfg)).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> Dtype.parse("fp8")).hasMessage("unknown dtype 'fp8': expected fp32, fp16 or bf16");
    }
}

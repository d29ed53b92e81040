package ssd.decoder.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ssd.decoder.checkpoint.CheckpointException;
import ssd.decoder.checkpoint.SafeTensorsWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The shape of a GPT-2 model, as in a Hugging Face {@code config.json}. Any vocabulary size and shape is allowed;
 * {@code nInner} is the MLP width (Hugging Face's null means 4 * nEmbd).
 */
public record GPT2Config(int vocabSize, int nPositions, int nEmbd, int nLayer, int nHead, int nInner,
                         double layerNormEpsilon, String activationFunction, boolean tieWordEmbeddings) {
    public static final String FILE_NAME = "config.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public GPT2Config {
        if (vocabSize <= 0 || nPositions <= 0 || nEmbd <= 0 || nLayer <= 0 || nHead <= 0 || nInner <= 0) {
            throw new IllegalArgumentException("GPT-2 config sizes must be positive: vocab_size=" + vocabSize + " n_positions=" + nPositions
                    + " n_embd=" + nEmbd + " n_layer=" + nLayer + " n_head=" + nHead + " n_inner=" + nInner);
        }
        if (nEmbd % nHead != 0) throw new IllegalArgumentException("n_embd " + nEmbd + " is not divisible by n_head " + nHead);
        if (!activationFunction.equals("gelu_new") && !activationFunction.equals("gelu_pytorch_tanh") && !activationFunction.equals("gelu")) {
            throw new IllegalArgumentException("activation_function '" + activationFunction + "' is not supported (expected gelu_new, gelu_pytorch_tanh or gelu)");
        }
        if (!tieWordEmbeddings) throw new IllegalArgumentException("tie_word_embeddings=false is not supported: GPT-2 ties lm_head to wte");
    }

    /** A GPT-2 config with the standard defaults (gelu_new, eps 1e-5, tied embeddings, MLP width 4d). */
    public static GPT2Config of(int vocabSize, int nPositions, int nEmbd, int nLayer, int nHead) {
        return new GPT2Config(vocabSize, nPositions, nEmbd, nLayer, nHead, 4 * nEmbd, 1e-5, "gelu_new", true);
    }

    public int headDim() {
        return nEmbd / nHead;
    }

    /** True when the MLP uses the tanh approximation of GELU (GPT-2's original "gelu_new"). */
    public boolean tanhGelu() {
        return !activationFunction.equals("gelu");
    }

    /** Parameter count with tied embeddings (wte counted once). */
    public long parameterCount() {
        long d = nEmbd, perLayer = 2 * d + (d * 3 * d + 3 * d) + (d * d + d) + 2 * d + (d * nInner + nInner) + (nInner * d + d);
        return (long) vocabSize * d + (long) nPositions * d + nLayer * perLayer + 2 * d;
    }

    public static GPT2Config read(Path file) {
        JsonNode n;
        try {
            n = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file, "file not found (a Hugging Face GPT-2 checkpoint directory needs config.json)");
        } catch (IOException e) {
            throw new CheckpointException(file, "malformed JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (n == null || !n.isObject()) throw new CheckpointException(file, "malformed JSON: not an object");
        String modelType = n.path("model_type").asText("gpt2");
        if (!modelType.equals("gpt2")) throw new CheckpointException(file, "model_type '" + modelType + "' is not gpt2");
        for (String flag : new String[]{"scale_attn_by_inverse_layer_idx", "reorder_and_upcast_attn"}) {
            if (n.path(flag).asBoolean(false)) throw new CheckpointException(file, flag + "=true is not supported");
        }
        try {
            int nEmbd = required(file, n, "n_embd");
            JsonNode inner = n.get("n_inner");
            return new GPT2Config(required(file, n, "vocab_size"), required(file, n, "n_positions"), nEmbd,
                    required(file, n, "n_layer"), required(file, n, "n_head"),
                    inner == null || inner.isNull() ? 4 * nEmbd : inner.asInt(),
                    n.path("layer_norm_epsilon").asDouble(1e-5), n.path("activation_function").asText("gelu_new"),
                    n.path("tie_word_embeddings").asBoolean(true));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file, e.getMessage());
        }
    }

    private static int required(Path file, JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || !v.canConvertToInt()) throw new CheckpointException(file, "missing or non-integer '" + key + "'");
        return v.asInt();
    }

    /** Writes a config.json that Hugging Face transformers loads as GPT2LMHeadModel. */
    public void write(Path file) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("model_type", "gpt2");
        n.putArray("architectures").add("GPT2LMHeadModel");
        n.put("vocab_size", vocabSize);
        n.put("n_positions", nPositions);
        n.put("n_ctx", nPositions);
        n.put("n_embd", nEmbd);
        n.put("n_layer", nLayer);
        n.put("n_head", nHead);
        if (nInner == 4 * nEmbd) n.putNull("n_inner");
        else n.put("n_inner", nInner);
        n.put("activation_function", activationFunction);
        n.put("layer_norm_epsilon", layerNormEpsilon);
        n.put("initializer_range", 0.02);
        n.put("resid_pdrop", 0.0);
        n.put("embd_pdrop", 0.0);
        n.put("attn_pdrop", 0.0);
        n.put("bos_token_id", Math.min(50256, vocabSize - 1));
        n.put("eos_token_id", Math.min(50256, vocabSize - 1));
        n.put("tie_word_embeddings", true);
        n.put("scale_attn_weights", true);
        Files.createDirectories(file.toAbsolutePath().getParent());
        SafeTensorsWriter.writeAtomically(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n));
    }
}

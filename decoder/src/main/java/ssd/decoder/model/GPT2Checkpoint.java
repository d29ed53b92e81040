package ssd.decoder.model;

import ssd.decoder.torch.Torch;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import ssd.decoder.checkpoint.CheckpointException;
import ssd.decoder.checkpoint.CheckpointFiles;
import ssd.common.Dtype;
import ssd.decoder.checkpoint.NamedTensor;
import ssd.decoder.checkpoint.SafeTensorsWriter;
import ssd.decoder.checkpoint.TensorInfo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hugging Face GPT-2 checkpoints (config.json + safetensors) to and from {@link GPT2Weights}.
 * Reads both key styles found in the wild: the original OpenAI-converted files without the {@code transformer.}
 * prefix (with {@code attn.bias}/{@code attn.masked_bias} buffers, ignored) and {@code save_pretrained} files with
 * the prefix and an optional tied {@code lm_head.weight}. Writes the {@code save_pretrained} style.
 */
public final class GPT2Checkpoint {
    private static final String PREFIX = "transformer.";
    private static final String LM_HEAD = "lm_head.weight";

    private GPT2Checkpoint() {
    }

    public static GPT2Config readConfig(Path dir) {
        if (!java.nio.file.Files.isDirectory(dir)) {
            throw new CheckpointException(dir, "not a directory (expected a checkpoint directory with config.json and model.safetensors)");
        }
        return GPT2Config.read(dir.resolve(GPT2Config.FILE_NAME));
    }

    /** Loads a checkpoint directory onto {@code device} in {@code dtype}, validating every tensor against config.json. */
    public static GPT2Weights load(Path dir, Dtype dtype, Device device) {
        GPT2Config config = readConfig(dir);
        try (CheckpointFiles files = CheckpointFiles.open(dir)) {
            checkLayerClaim(dir, config, files);
            Map<String, long[]> expected = expectedShapes(config);
            Map<String, String> canonicalToStored = new LinkedHashMap<>();
            for (Map.Entry<String, TensorInfo> e : files.tensors().entrySet()) {
                String stored = e.getKey();
                String canonical = canonical(stored);
                if (isIgnoredBuffer(canonical)) continue;
                if (canonical.equals(LM_HEAD)) {
                    checkShape(files, stored, e.getValue(), new long[]{config.vocabSize(), config.nEmbd()});
                    continue; // tied to wte
                }
                long[] shape = expected.get(canonical);
                if (shape == null) throw new CheckpointException(files.fileOf(stored), "unexpected tensor '" + stored + "' for a GPT-2 with " + config.nLayer() + " layers");
                checkShape(files, stored, e.getValue(), shape);
                if (canonicalToStored.put(canonical, stored) != null) {
                    throw new CheckpointException(files.fileOf(stored), "tensor '" + canonical + "' appears twice (with and without the transformer. prefix)");
                }
            }
            for (String name : expected.keySet()) {
                if (!canonicalToStored.containsKey(name)) throw new CheckpointException(dir, "missing tensor '" + name + "'");
            }
            torch.ScalarType target = Torch.scalarType(dtype);
            Map<String, Tensor> loaded = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : canonicalToStored.entrySet()) {
                TensorInfo info = files.tensors().get(e.getValue());
                try (PointerScope scope = new PointerScope()) {
                    Tensor cpu = Torch.fromBytes(files.map(e.getValue()), info.dtype(), info.shape());
                    // Conv1D weights are [in, out]; we compute with [out, in].
                    Tensor oriented = isConv1DWeight(e.getKey()) ? cpu.t() : cpu;
                    Tensor t = oriented.to(device, target).contiguous();
                    t.retainReference();
                    loaded.put(e.getKey(), t);
                }
            }
            return assemble(config, loaded);
        }
    }

    /**
     * Refuses a config.json claiming more layers than the files hold tensors of, before the expected-tensor map (12
     * entries per claimed layer) is built: a config claiming 2^31 - 1 layers would otherwise take minutes and gigabytes
     * to fail. Fewer claimed layers, or a layer with a tensor missing, fall through to the per-tensor messages.
     */
    private static void checkLayerClaim(Path dir, GPT2Config config, CheckpointFiles files) {
        Set<Integer> layers = new HashSet<>();
        for (String stored : files.tensors().keySet()) {
            int layer = layerIndex(canonical(stored));
            if (layer >= 0) layers.add(layer);
        }
        if (config.nLayer() > layers.size()) {
            throw new CheckpointException(dir.resolve(GPT2Config.FILE_NAME), "n_layer is " + config.nLayer()
                    + " but the safetensors files hold tensors of " + layers.size() + " layer(s)");
        }
    }

    /** The block index of a canonical {@code transformer.h.<l>.} name, or -1 for any other name. */
    private static int layerIndex(String canonical) {
        String blocks = PREFIX + "h.";
        if (!canonical.startsWith(blocks)) return -1;
        int end = canonical.indexOf('.', blocks.length());
        if (end <= blocks.length()) return -1;
        String digits = canonical.substring(blocks.length(), end);
        for (int i = 0; i < digits.length(); i++) if (digits.charAt(i) < '0' || digits.charAt(i) > '9') return -1;
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return -1; // too many digits for any real layer
        }
    }

    private static void checkShape(CheckpointFiles files, String stored, TensorInfo info, long[] shape) {
        if (!Arrays.equals(info.shape(), shape)) {
            throw new CheckpointException(files.fileOf(stored), "tensor '" + stored + "' has shape " + info.shapeString()
                    + " but config.json implies " + Arrays.toString(shape));
        }
    }

    private static String canonical(String stored) {
        if (stored.equals(LM_HEAD) || stored.startsWith(PREFIX)) return stored;
        return PREFIX + stored;
    }

    private static boolean isIgnoredBuffer(String canonical) {
        return canonical.endsWith(".attn.bias") || canonical.endsWith(".attn.masked_bias");
    }

    private static boolean isConv1DWeight(String canonical) {
        return canonical.endsWith("c_attn.weight") || canonical.endsWith("c_proj.weight") || canonical.endsWith("c_fc.weight");
    }

    /** Canonical Hugging Face names and shapes (Conv1D weights in their stored [in, out] layout). */
    static Map<String, long[]> expectedShapes(GPT2Config c) {
        long d = c.nEmbd(), inner = c.nInner();
        Map<String, long[]> m = new LinkedHashMap<>();
        m.put(PREFIX + "wte.weight", new long[]{c.vocabSize(), d});
        m.put(PREFIX + "wpe.weight", new long[]{c.nPositions(), d});
        for (int l = 0; l < c.nLayer(); l++) {
            String p = PREFIX + "h." + l + ".";
            m.put(p + "ln_1.weight", new long[]{d});
            m.put(p + "ln_1.bias", new long[]{d});
            m.put(p + "attn.c_attn.weight", new long[]{d, 3 * d});
            m.put(p + "attn.c_attn.bias", new long[]{3 * d});
            m.put(p + "attn.c_proj.weight", new long[]{d, d});
            m.put(p + "attn.c_proj.bias", new long[]{d});
            m.put(p + "ln_2.weight", new long[]{d});
            m.put(p + "ln_2.bias", new long[]{d});
            m.put(p + "mlp.c_fc.weight", new long[]{d, inner});
            m.put(p + "mlp.c_fc.bias", new long[]{inner});
            m.put(p + "mlp.c_proj.weight", new long[]{inner, d});
            m.put(p + "mlp.c_proj.bias", new long[]{d});
        }
        m.put(PREFIX + "ln_f.weight", new long[]{d});
        m.put(PREFIX + "ln_f.bias", new long[]{d});
        return m;
    }

    private static GPT2Weights assemble(GPT2Config c, Map<String, Tensor> t) {
        List<GPT2Weights.Block> blocks = new ArrayList<>();
        for (int l = 0; l < c.nLayer(); l++) {
            String p = PREFIX + "h." + l + ".";
            blocks.add(new GPT2Weights.Block(t.get(p + "ln_1.weight"), t.get(p + "ln_1.bias"),
                    t.get(p + "attn.c_attn.weight"), t.get(p + "attn.c_attn.bias"),
                    t.get(p + "attn.c_proj.weight"), t.get(p + "attn.c_proj.bias"),
                    t.get(p + "ln_2.weight"), t.get(p + "ln_2.bias"),
                    t.get(p + "mlp.c_fc.weight"), t.get(p + "mlp.c_fc.bias"),
                    t.get(p + "mlp.c_proj.weight"), t.get(p + "mlp.c_proj.bias")));
        }
        return new GPT2Weights(c, t.get(PREFIX + "wte.weight"), t.get(PREFIX + "wpe.weight"), List.copyOf(blocks),
                t.get(PREFIX + "ln_f.weight"), t.get(PREFIX + "ln_f.bias"));
    }

    /** The weights as Hugging Face-named tensors in {@code dtype} (Conv1D weights transposed back to [in, out]). */
    public static List<NamedTensor> toNamedTensors(GPT2Weights w, Dtype dtype) {
        Map<String, Tensor> byName = new LinkedHashMap<>();
        byName.put(PREFIX + "wte.weight", w.wte());
        byName.put(PREFIX + "wpe.weight", w.wpe());
        for (int l = 0; l < w.blocks().size(); l++) {
            GPT2Weights.Block b = w.blocks().get(l);
            String p = PREFIX + "h." + l + ".";
            byName.put(p + "ln_1.weight", b.ln1Weight());
            byName.put(p + "ln_1.bias", b.ln1Bias());
            byName.put(p + "attn.c_attn.weight", b.attnWeight());
            byName.put(p + "attn.c_attn.bias", b.attnBias());
            byName.put(p + "attn.c_proj.weight", b.attnProjWeight());
            byName.put(p + "attn.c_proj.bias", b.attnProjBias());
            byName.put(p + "ln_2.weight", b.ln2Weight());
            byName.put(p + "ln_2.bias", b.ln2Bias());
            byName.put(p + "mlp.c_fc.weight", b.fcWeight());
            byName.put(p + "mlp.c_fc.bias", b.fcBias());
            byName.put(p + "mlp.c_proj.weight", b.mlpProjWeight());
            byName.put(p + "mlp.c_proj.bias", b.mlpProjBias());
        }
        byName.put(PREFIX + "ln_f.weight", w.lnfWeight());
        byName.put(PREFIX + "ln_f.bias", w.lnfBias());
        List<NamedTensor> out = new ArrayList<>();
        torch.ScalarType target = Torch.scalarType(dtype);
        for (Map.Entry<String, Tensor> e : byName.entrySet()) {
            try (PointerScope scope = new PointerScope()) {
                Tensor t = e.getValue().detach();
                if (isConv1DWeight(e.getKey())) t = t.t();
                Tensor cast = t.to(new Device("cpu"), target).contiguous();
                out.add(new NamedTensor(e.getKey(), dtype, cast.sizes().vec().get(), Torch.toBytes(cast)));
            }
        }
        return out;
    }

    /** Writes config.json and safetensors (sharded when maxShardBytes > 0 and the weights exceed it). */
    public static List<Path> save(Path dir, GPT2Weights w, Dtype dtype, long maxShardBytes) throws IOException {
        List<Path> files = new ArrayList<>(SafeTensorsWriter.write(dir, toNamedTensors(w, dtype), maxShardBytes));
        Path config = dir.resolve(GPT2Config.FILE_NAME);
        w.config().write(config);
        files.add(config);
        return files;
    }
}

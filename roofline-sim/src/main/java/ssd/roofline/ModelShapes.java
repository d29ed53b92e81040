package ssd.roofline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ssd.roofline.io.Json;
import ssd.roofline.io.JsonFields;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where model shapes come from: the four GPT-2 presets, a Hugging Face {@code config.json}
 * (keys n_layer, n_embd, n_head, vocab_size, n_positions; other keys are ignored), or the
 * shorthand {@code LAYERSxWIDTH} (e.g. {@code 4x512}: GPT-2 vocabulary and positions, 64-wide heads) for draft sweeps.
 */
public final class ModelShapes {
    public static final int GPT2_VOCAB = 50257;
    public static final int GPT2_POSITIONS = 1024;

    private static final Map<String, ModelShape> PRESETS = new LinkedHashMap<>();

    static {
        PRESETS.put("gpt2", new ModelShape(12, 768, 12, GPT2_VOCAB, GPT2_POSITIONS));
        PRESETS.put("gpt2-medium", new ModelShape(24, 1024, 16, GPT2_VOCAB, GPT2_POSITIONS));
        PRESETS.put("gpt2-large", new ModelShape(36, 1280, 20, GPT2_VOCAB, GPT2_POSITIONS));
        PRESETS.put("gpt2-xl", new ModelShape(48, 1600, 25, GPT2_VOCAB, GPT2_POSITIONS));
    }

    private static final Pattern SHORTHAND = Pattern.compile("(\\d+)x(\\d+)");

    private ModelShapes() {
    }

    public static Map<String, ModelShape> presets() {
        return Map.copyOf(PRESETS);
    }

    public static ModelShape preset(String name) {
        ModelShape s = PRESETS.get(name.trim().toLowerCase(Locale.ROOT));
        if (s == null) {
            throw new IllegalArgumentException("unknown model preset '" + name + "': expected one of "
                    + String.join(", ", PRESETS.keySet()));
        }
        return s;
    }

    /** A preset name, the LAYERSxWIDTH shorthand, or a path to a config.json. */
    public static ModelShape resolve(String presetOrPath) {
        String key = presetOrPath.trim().toLowerCase(Locale.ROOT);
        if (PRESETS.containsKey(key)) return PRESETS.get(key);
        Matcher m = SHORTHAND.matcher(key);
        if (m.matches()) {
            int width = Integer.parseInt(m.group(2));
            if (width % 64 != 0) {
                throw new IllegalArgumentException("model '" + presetOrPath + "': width must be a multiple of 64 (64-wide heads)");
            }
            return new ModelShape(Integer.parseInt(m.group(1)), width, width / 64, GPT2_VOCAB, GPT2_POSITIONS);
        }
        Path p = Path.of(presetOrPath);
        if (Files.isDirectory(p)) p = p.resolve("config.json");
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("model '" + presetOrPath + "': expected a preset ("
                    + String.join(", ", PRESETS.keySet()) + "), LAYERSxWIDTH such as 4x512, or a path to a config.json");
        }
        return fromConfigJson(p);
    }

    /** Reads a Hugging Face GPT-2 config.json. */
    public static ModelShape fromConfigJson(Path file) {
        return fromJson(Json.read(file), file.toString());
    }

    /** Reads the five shape keys from a JSON object (also used inside traces). */
    public static ModelShape fromJson(JsonNode node, String where) {
        JsonFields.requireObject(node, where);
        try {
            return new ModelShape(
                    JsonFields.requireInt(node, "n_layer", 1, where),
                    JsonFields.requireInt(node, "n_embd", 1, where),
                    JsonFields.requireInt(node, "n_head", 1, where),
                    JsonFields.requireInt(node, "vocab_size", 1, where),
                    JsonFields.requireInt(node, "n_positions", 1, where));
        } catch (IllegalArgumentException e) {
            if (e.getMessage().startsWith(where)) throw e;
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    public static ObjectNode toJson(ModelShape shape) {
        ObjectNode o = Json.object();
        o.put("n_layer", shape.nLayer());
        o.put("n_embd", shape.nEmbd());
        o.put("n_head", shape.nHead());
        o.put("vocab_size", shape.vocabSize());
        o.put("n_positions", shape.nPositions());
        return o;
    }

    /** The preset name of a shape, or its shorthand-like description when it is not a preset. */
    public static String name(ModelShape shape) {
        for (Map.Entry<String, ModelShape> e : PRESETS.entrySet()) {
            if (e.getValue().equals(shape)) return e.getKey();
        }
        return shape.nLayer() + "x" + shape.nEmbd();
    }
}

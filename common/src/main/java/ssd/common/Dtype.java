package ssd.common;

import java.util.Locale;

/**
 * Element type of weights, activations and the KV cache, as a checkpoint stores it and as the simulator costs it:
 * bytes per element, the name on the command line and in result files (fp32, fp16, bf16; also {@link #toString}),
 * and the name in a safetensors header (F32, F16, BF16).
 */
public enum Dtype {
    FP32("fp32", "F32", 4),
    FP16("fp16", "F16", 2),
    BF16("bf16", "BF16", 2);

    /** What {@link #parse} accepts, for messages. */
    public static final String EXPECTED = "fp32, fp16 or bf16";

    private final String flagName;
    private final String safetensorsName;
    private final int bytes;

    Dtype(String flagName, String safetensorsName, int bytes) {
        this.flagName = flagName;
        this.safetensorsName = safetensorsName;
        this.bytes = bytes;
    }

    /** The name on the command line and in files: fp32, fp16, bf16. */
    public String flagName() {
        return flagName;
    }

    public String safetensorsName() {
        return safetensorsName;
    }

    public int bytes() {
        return bytes;
    }

    /**
     * Parses a command-line or file value, case-insensitive and trimmed: fp32, fp16, bf16, and the aliases f32, float32,
     * f16, float16, half, bfloat16.
     */
    public static Dtype parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "fp32", "f32", "float32" -> FP32;
            case "fp16", "f16", "float16", "half" -> FP16;
            case "bf16", "bfloat16" -> BF16;
            default -> throw new IllegalArgumentException("unknown dtype '" + text + "': expected " + EXPECTED);
        };
    }

    /** The dtype of a safetensors header name (exact, as the format spells it); null when not one we support. */
    public static Dtype fromSafetensors(String name) {
        for (Dtype d : values()) if (d.safetensorsName.equals(name)) return d;
        return null;
    }

    @Override
    public String toString() {
        return flagName;
    }
}

package ssd.decoder.checkpoint;

import java.util.Locale;

/** Element types a checkpoint may store, with their safetensors names. */
public enum DType {
    F32(4), F16(2), BF16(2);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    public String safetensorsName() {
        return name();
    }

    /** Parses a safetensors dtype name; null when the name is not one we support. */
    public static DType fromSafetensors(String name) {
        for (DType d : values()) if (d.name().equals(name)) return d;
        return null;
    }

    /** Parses a user-facing precision flag: fp32, fp16, bf16 (also float32/float16/bfloat16). */
    public static DType parseFlag(String flag) {
        switch (flag.toLowerCase(Locale.ROOT)) {
            case "fp32": case "f32": case "float32": return F32;
            case "fp16": case "f16": case "float16": case "half": return F16;
            case "bf16": case "bfloat16": return BF16;
            default: throw new IllegalArgumentException("unknown dtype '" + flag + "': expected fp32, fp16 or bf16");
        }
    }

    public String flagName() {
        switch (this) {
            case F32: return "fp32";
            case F16: return "fp16";
            default: return "bf16";
        }
    }
}

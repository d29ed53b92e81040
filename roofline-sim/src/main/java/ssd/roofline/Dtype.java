package ssd.roofline;

import java.util.Locale;

/** Element type of weights, activations and the KV cache; decides bytes per element and which compute peak applies. */
public enum Dtype {
    FP32("fp32", 4),
    FP16("fp16", 2),
    BF16("bf16", 2);

    private final String label;
    private final int bytes;

    Dtype(String label, int bytes) {
        this.label = label;
        this.bytes = bytes;
    }

    /** Name used on the command line and in files: fp32, fp16, bf16. */
    public String label() {
        return label;
    }

    public int bytes() {
        return bytes;
    }

    /** Parses fp32 / fp16 / bf16 (case-insensitive). */
    public static Dtype parse(String text) {
        if (text != null) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            for (Dtype d : values()) {
                if (d.label.equals(t)) return d;
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + text + "': expected fp32, fp16 or bf16");
    }

    @Override
    public String toString() {
        return label;
    }
}

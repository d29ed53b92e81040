package ssd.harness.reliability;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

/** A safetensors file (or a config.json beside it) that is whole mid-run and, at the end, the reference's bytes. */
final class SafetensorsRule {
    private SafetensorsRule() {
    }

    static OutputRule completeThenIdentical() {
        return new OutputRule() {
            public String whileRunning(byte[] file, Path reference) {
                return reference.getFileName().toString().endsWith(".json")
                        ? (OutputRule.parse(file) == null ? "not complete JSON" : null) : wholeSafetensors(file);
            }

            public String finished(byte[] file, Path reference) throws java.io.IOException {
                return OutputRule.identical().finished(file, reference);
            }
        };
    }

    /** Null when the header parses and the data section is exactly as long as its last tensor's end. */
    static String wholeSafetensors(byte[] b) {
        if (b.length < 8) return "shorter than a safetensors header";
        long n = ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n <= 0 || n > b.length - 8) return "header length " + n + " beyond the file";
        JsonNode h = OutputRule.parse(Arrays.copyOfRange(b, 8, 8 + (int) n));
        if (h == null) return "header is not complete JSON";
        long end = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = h.fields(); it.hasNext(); ) {
            JsonNode offsets = it.next().getValue().get("data_offsets");
            if (offsets != null) end = Math.max(end, offsets.get(1).asLong());
        }
        return end == b.length - 8 - n ? null : "data section is " + (b.length - 8 - n) + " bytes, the header needs " + end;
    }
}

package ssd.roofline.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ssd.roofline.io.Json;
import ssd.roofline.io.JsonFields;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The device JSON format (one object; the built-in catalog is a list of them). Keys:
 * name, kind ("gpu"|"cpu"), memory_bandwidth_bytes_per_s, copy_bandwidth_bytes_per_s (optional, measured),
 * peak_fp16_flops, peak_bf16_flops, peak_fp32_flops, l2_bytes, sm_count, kernel_latency_s, host_overhead_per_op_s,
 * launch ("serial"|"pipelined", optional, default serial), source (optional text).
 */
public final class DeviceJson {
    private DeviceJson() {
    }

    public static Device read(Path file) {
        return fromJson(Json.read(file), file.toString());
    }

    public static void write(Device device, Path file) {
        Json.write(toJson(device), file);
    }

    public static Device fromJson(JsonNode node, String where) {
        JsonFields.requireObject(node, where);
        String name = JsonFields.requireString(node, "name", where);
        String kindText = JsonFields.requireString(node, "kind", where).toUpperCase(Locale.ROOT);
        Device.Kind kind;
        try {
            kind = Device.Kind.valueOf(kindText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": field 'kind' must be \"gpu\" or \"cpu\", got \"" + kindText.toLowerCase(Locale.ROOT) + "\"");
        }
        Launch launch = Launch.parse(JsonFields.optionalString(node, "launch", "serial", where));
        try {
            return new Device(name, kind,
                    JsonFields.requireDouble(node, "memory_bandwidth_bytes_per_s", 0, where),
                    JsonFields.optionalDouble(node, "copy_bandwidth_bytes_per_s", 0, 0, where),
                    JsonFields.requireDouble(node, "peak_fp16_flops", 0, where),
                    JsonFields.requireDouble(node, "peak_bf16_flops", 0, where),
                    JsonFields.requireDouble(node, "peak_fp32_flops", 0, where),
                    JsonFields.requireLong(node, "l2_bytes", 0, where),
                    JsonFields.requireInt(node, "sm_count", 0, where),
                    JsonFields.requireDouble(node, "kernel_latency_s", 0, where),
                    JsonFields.requireDouble(node, "host_overhead_per_op_s", 0, where),
                    launch,
                    JsonFields.optionalString(node, "source", "", where));
        } catch (IllegalArgumentException e) {
            if (e.getMessage().startsWith(where)) throw e;
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    public static ObjectNode toJson(Device d) {
        ObjectNode o = Json.object();
        o.put("name", d.name());
        o.put("kind", d.kind().name().toLowerCase(Locale.ROOT));
        o.put("memory_bandwidth_bytes_per_s", d.memoryBandwidth());
        if (d.copyBandwidth() > 0) o.put("copy_bandwidth_bytes_per_s", d.copyBandwidth());
        o.put("peak_fp16_flops", d.fp16Flops());
        o.put("peak_bf16_flops", d.bf16Flops());
        o.put("peak_fp32_flops", d.fp32Flops());
        o.put("l2_bytes", d.l2Bytes());
        o.put("sm_count", d.smCount());
        o.put("kernel_latency_s", d.kernelLatency());
        o.put("host_overhead_per_op_s", d.hostOverheadPerOp());
        o.put("launch", d.launch().label());
        o.put("source", d.source());
        return o;
    }
}

package ssd.roofline.device;

import com.fasterxml.jackson.databind.JsonNode;
import ssd.roofline.io.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in devices (rtx4090, h100-sxm, h200, a100-80gb, h100-pcie, and a generic cpu prior), loaded from
 * {@code ssd/roofline/devices.json} on the classpath, plus any device given as a JSON file.
 */
public final class DeviceCatalog {
    private static final String RESOURCE = "/ssd/roofline/devices.json";
    private static final Map<String, Device> BUILTIN = load();

    private DeviceCatalog() {
    }

    private static Map<String, Device> load() {
        try (InputStream in = DeviceCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("missing classpath resource " + RESOURCE);
            JsonNode root = Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), RESOURCE);
            Map<String, Device> map = new LinkedHashMap<>();
            int i = 0;
            for (JsonNode node : root) {
                Device d = DeviceJson.fromJson(node, RESOURCE + "[" + i++ + "]");
                map.put(d.name(), d);
            }
            return Collections.unmodifiableMap(map);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Device> builtin() {
        return List.copyOf(BUILTIN.values());
    }

    public static List<String> names() {
        return List.copyOf(BUILTIN.keySet());
    }

    public static Device get(String name) {
        Device d = BUILTIN.get(name.trim().toLowerCase(Locale.ROOT));
        if (d == null) {
            throw new IllegalArgumentException("unknown device '" + name + "': expected one of "
                    + String.join(", ", BUILTIN.keySet()) + ", or a path to a device JSON file");
        }
        return d;
    }

    /** A catalog name, or a path to a device JSON file (e.g. one written by {@code ssd simulate calibrate}). */
    public static Device resolve(String nameOrPath) {
        String key = nameOrPath.trim().toLowerCase(Locale.ROOT);
        if (BUILTIN.containsKey(key)) return BUILTIN.get(key);
        Path p = Path.of(nameOrPath);
        if (Files.isRegularFile(p)) return DeviceJson.read(p);
        return get(nameOrPath);
    }

    /** The GPUs {@link #gpuNamed} recognizes in a device name, for messages. */
    public static final String NAMED_GPUS = "H200, H100 (SXM or PCIe), A100, RTX 4090";

    /**
     * The catalog GPU a free-text device name refers to, such as nvidia-smi's "NVIDIA H100 80GB HBM3"; empty for any
     * other card and for CPUs. The one table of peak FLOP/s: training's MFU and the figures' default rooflines read
     * their peaks from the device this returns.
     */
    public static Optional<Device> gpuNamed(String deviceText) {
        String t = deviceText.toUpperCase(Locale.ROOT);
        if (t.contains("H200")) return Optional.of(get("h200"));
        if (t.contains("H100")) return Optional.of(get(t.contains("PCIE") ? "h100-pcie" : "h100-sxm"));
        if (t.contains("A100")) return Optional.of(get("a100-80gb"));
        if (t.contains("4090")) return Optional.of(get("rtx4090"));
        return Optional.empty();
    }

    /**
     * The catalog entry to start a calibration from, guessed from a free-text device name such as
     * "NVIDIA H100 80GB HBM3" or "Intel Xeon ... (2 cores)": the GPU it names, else the generic cpu.
     */
    public static Device priorFor(String deviceText) {
        return gpuNamed(deviceText).orElseGet(() -> get("cpu"));
    }
}

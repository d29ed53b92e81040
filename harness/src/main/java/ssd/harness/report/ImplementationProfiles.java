package ssd.harness.report;

import ssd.roofline.device.Device;
import ssd.roofline.device.DeviceCatalog;
import ssd.tables.Profile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The implementation profiles the report predicts the paper's card for: each a name and a simulator device (datasheet
 * plus the implementation's per-kernel latency and per-op host overhead). {@code --profile NAME=DEVICE} chooses them,
 * DEVICE a roofline-sim catalog name or device JSON file; without it, {@link #defaults()}.
 */
final class ImplementationProfiles {
    /** A profile and the device the simulator replays traces on for it. */
    record ProfiledDevice(Profile profile, Device device) {
    }

    static final String FORM = "NAME=DEVICE, DEVICE a roofline-sim catalog name (rtx4090, h200, ...) or a device JSON file";

    private ImplementationProfiles() {
    }

    /**
     * "paper": roofline-sim's rtx4090, whose latency and host overhead are fitted to the paper's eager PyTorch (150
     * tokens/s for GPT-2-L, ~35% of the time in Python). "ours": the same card run the way our decoder runs on the GPU,
     * CUDA-graph replay (no per-op host work), with the kernel latency measured for our decoder on the H200.
     */
    static List<ProfiledDevice> defaults() {
        Device rtx = DeviceCatalog.get("rtx4090"), h200 = DeviceCatalog.get("h200");
        Device ours = rtx.withOverheads(h200.kernelLatency(), 0);
        return List.of(
                new ProfiledDevice(new Profile("paper", rtx.name(), String.format(Locale.ROOT, "the paper's eager PyTorch: RTX 4090 datasheet, "
                        + "%.2f us per kernel and %.2f us of host time per op, fitted to its 150 tokens/s GPT-2-L baseline with ~35%% of "
                        + "the time in Python (roofline-sim's rtx4090)", rtx.kernelLatency() * 1e6, rtx.hostOverheadPerOp() * 1e6)), rtx),
                new ProfiledDevice(new Profile("ours", rtx.name(), String.format(Locale.ROOT, "our decoder as it runs on the GPU, CUDA-graph "
                        + "replay: no per-op host time, %.2f us per kernel as measured for our decoder on the H200 (roofline-sim's h200), on "
                        + "the RTX 4090's datasheet bandwidth and peaks", ours.kernelLatency() * 1e6)), ours));
    }

    /** The {@code --profile} values in the order given; none means {@link #defaults()}. */
    static List<ProfiledDevice> parse(List<String> values) {
        if (values.isEmpty()) return defaults();
        Map<String, ProfiledDevice> out = new LinkedHashMap<>();
        for (String v : values) {
            int eq = v.indexOf('=');
            if (eq <= 0 || eq == v.length() - 1) throw new IllegalArgumentException("--profile '" + v + "': expected " + FORM);
            String name = v.substring(0, eq).strip(), spec = v.substring(eq + 1).strip();
            Device device;
            try {
                device = DeviceCatalog.resolve(spec);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--profile '" + v + "': " + e.getMessage(), e);
            }
            String description = "roofline-sim device " + spec + (device.source().isBlank() ? "" : " (" + device.source() + ")");
            if (out.put(name, new ProfiledDevice(new Profile(name, device.name(), description), device)) != null)
                throw new IllegalArgumentException("--profile " + name + " is given twice");
        }
        return new ArrayList<>(out.values());
    }
}

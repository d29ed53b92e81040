package ssd.figures;

import ssd.common.Dtype;
import ssd.roofline.Medians;
import ssd.roofline.device.DeviceCatalog;
import ssd.roofline.device.Roofline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * The peaks that {@code --peak-tflops} gives, in TFLOP/s: a bare {@code T} for every device, and {@code MATCH=T} for the
 * devices whose name contains MATCH (case-insensitive), so one run can plot devices with different roofs. Plain Java
 * types only: the harness holds one, and the GPU bundle that starts the harness has no XChart.
 *
 * @param everyDevice the bare value, or null when none was given
 * @param perDevice   the MATCH=T entries in the order given
 */
public record PeakTflops(Entry everyDevice, List<Entry> perDevice) {
    public static final String FORM = "T or MATCH=T, T a positive number of TFLOP/s (e.g. 989 or h200=989)";

    /**
     * One value of the option.
     *
     * @param value the value as given, for messages
     * @param match what the device name must contain, lower-cased; null for a bare value (every device)
     */
    public record Entry(String value, String match, double tflops) {
        boolean matches(String hardware) {
            return match != null && hardware.toLowerCase(Locale.ROOT).contains(match);
        }
    }

    public PeakTflops {
        perDevice = List.copyOf(perDevice);
    }

    /** Parses the {@code --peak-tflops} values; a malformed one, or two bare ones, is an error naming the value. */
    public static PeakTflops parse(List<String> values) {
        Entry everyDevice = null;
        List<Entry> perDevice = new ArrayList<>();
        for (String value : values) {
            int eq = value.indexOf('=');
            double tflops = tflops(value, eq < 0 ? value : value.substring(eq + 1));
            if (eq < 0) {
                if (everyDevice != null) throw new IllegalArgumentException("--peak-tflops '" + everyDevice.value() + "' and '" + value
                        + "' both apply to every device: give one bare T, and MATCH=T for the devices that differ");
                everyDevice = new Entry(value, null, tflops);
            } else {
                String match = value.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                if (match.isEmpty()) throw malformed(value);
                perDevice.add(new Entry(value, match, tflops));
            }
        }
        return new PeakTflops(everyDevice, perDevice);
    }

    private static double tflops(String value, String number) {
        try {
            double t = Double.parseDouble(number.strip());
            if (Double.isFinite(t) && t > 0) return t;
        } catch (NumberFormatException e) {
            // reported below, with the expected form
        }
        throw malformed(value);
    }

    private static IllegalArgumentException malformed(String value) {
        return new IllegalArgumentException("--peak-tflops '" + value + "': expected " + FORM);
    }

    public boolean isEmpty() {
        return everyDevice == null && perDevice.isEmpty();
    }

    /**
     * The peak in TFLOP/s of each of {@code hardware} (device names without mode tag), in their order: the one
     * MATCH=T entry that matches it, else the bare value, else the device's default. Every value given must apply to
     * some device, so a mistyped MATCH is an error rather than silently ignored.
     */
    public Map<String, Double> of(Collection<String> hardware) {
        Map<String, Double> peaks = new LinkedHashMap<>();
        List<Entry> used = new ArrayList<>();
        boolean bareUsed = false;
        for (String hw : hardware) {
            List<Entry> hits = perDevice.stream().filter(e -> e.matches(hw)).toList();
            if (hits.size() > 1) throw new IllegalArgumentException("--peak-tflops " + hits.stream().map(e -> "'" + e.value() + "'")
                    .collect(Collectors.joining(" and ")) + " match the same device '" + hw + "': give one MATCH=T per device");
            if (hits.size() == 1) {
                used.add(hits.get(0));
                peaks.put(hw, hits.get(0).tflops());
            } else if (everyDevice != null) {
                bareUsed = true;
                peaks.put(hw, everyDevice.tflops());
            } else {
                peaks.put(hw, defaultPeakTflops(hw).orElseThrow(() -> new IllegalArgumentException("no default peak for device '"
                        + hw + "' (the device catalog has the peaks of " + DeviceCatalog.NAMED_GPUS
                        + "): give --peak-tflops T for every device or --peak-tflops MATCH=T for this one")));
            }
        }
        String devices = hardware.stream().map(h -> "'" + h + "'").collect(Collectors.joining(", "));
        for (Entry e : perDevice)
            if (!used.contains(e)) throw new IllegalArgumentException("--peak-tflops '" + e.value() + "' matches no device in --forward (devices: " + devices + ")");
        if (everyDevice != null && !bareUsed)
            throw new IllegalArgumentException("--peak-tflops '" + everyDevice.value() + "' applies to no device: every device in --forward has its own MATCH=T");
        return peaks;
    }

    /**
     * One roofline per hardware among {@code points}, in order of first appearance, each under the peak these values
     * give it (see {@link #of}) and with the median copy bandwidth of its points as slope.
     */
    public Map<String, Roofline> rooflines(List<ForwardPoint> points) {
        List<String> hardware = points.stream().map(ForwardPoint::hardware).distinct().toList();
        Map<String, Roofline> out = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : of(hardware).entrySet()) {
            String hw = e.getKey();
            double[] bw = points.stream().filter(q -> q.hardware().equals(hw)).mapToDouble(ForwardPoint::copyBandwidthBytesPerS).toArray();
            out.put(hw, new Roofline(hw, e.getValue() * 1e12, Medians.of(bw)));
        }
        return out;
    }

    /**
     * The dense fp16 peak in TFLOP/s of the GPU the name names, from the simulator's device catalog (989.4 for an H100
     * SXM or H200); nothing for other devices.
     */
    static OptionalDouble defaultPeakTflops(String hardware) {
        return DeviceCatalog.gpuNamed(hardware).map(d -> OptionalDouble.of(d.peakFlops(Dtype.FP16) / 1e12)).orElseGet(OptionalDouble::empty);
    }
}

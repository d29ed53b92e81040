package ssd.roofline.device;

import java.util.Locale;

/**
 * How host overhead combines with device time.
 * <ul>
 *   <li>{@link #SERIAL}: the formula, time = sum over kernels of (max(FLOPs/peak, bytes/bandwidth) + kernel latency)
 *       + host overhead per op. Exact for a CPU (ops run where they are issued); for a GPU it is an upper bound.</li>
 *   <li>{@link #PIPELINED}: a GPU stream. The host issues one op every {@code host overhead}; each kernel starts when it
 *       has been issued and the previous kernel has finished. Time is the makespan, so host overhead hides under long
 *       kernels and vice versa.</li>
 * </ul>
 */
public enum Launch {
    SERIAL, PIPELINED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Launch parse(String text) {
        for (Launch l : values()) {
            if (l.label().equalsIgnoreCase(text == null ? "" : text.trim())) return l;
        }
        throw new IllegalArgumentException("unknown launch model '" + text + "': expected serial or pipelined");
    }
}

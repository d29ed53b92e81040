package ssd.decoder.forward;

import java.util.Locale;

/**
 * How a {@link Forward} runs.
 *
 * <ul>
 *   <li>{@link #EAGER}: the dynamic reference path; shapes follow the batch and the cache length.</li>
 *   <li>{@link #STATIC}: the same maths on fixed-shape tensors (one set per batch-size bucket), run eagerly. Device
 *       work depends only on tensor contents, never on host integers, so it is what a CUDA graph captures; on the
 *       CPU it exists to test that formulation against {@link #EAGER}.</li>
 *   <li>{@link #CUDA_GRAPH}: the {@link #STATIC} forward captured once per bucket as a CUDA graph and replayed.</li>
 * </ul>
 */
public enum ForwardMode {
    EAGER, STATIC, CUDA_GRAPH;

    /** Parses "eager", "static" or "cuda-graph" (case-insensitive, '_' accepted for '-'). */
    public static ForwardMode parse(String flag) {
        String s = flag.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        switch (s) {
            case "eager": return EAGER;
            case "static": return STATIC;
            case "cuda-graph": case "cuda-graphs": return CUDA_GRAPH;
            default: throw new IllegalArgumentException("unknown forward mode '" + flag + "': expected eager, static or cuda-graph");
        }
    }

    public String flagName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}

package ssd.roofline.ncu;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a profiled run into the stretches between marker kernels ({@link KernelGroup#isMarker}): the probe launches
 * a marker before and after each forward (or decoding run) it means to measure, so stretch i is the kernels between
 * markers 2i and 2i+1; what runs outside the pairs (model set-up, warm-up, graph capture) is dropped.
 */
public final class ProfiledForwards {
    private ProfiledForwards() {
    }

    public static List<List<NcuKernel>> split(List<NcuKernel> kernels, int expected, String where) {
        List<Integer> markers = new ArrayList<>();
        for (int i = 0; i < kernels.size(); i++) if (KernelGroup.isMarker(kernels.get(i).name())) markers.add(i);
        if (markers.size() != 2 * expected) {
            throw new IllegalArgumentException(where + ": expected " + 2 * expected + " marker kernels (FillFunctor<short>) around "
                    + expected + " measured stretches, found " + markers.size());
        }
        List<List<NcuKernel>> out = new ArrayList<>(expected);
        for (int i = 0; i < expected; i++) {
            List<NcuKernel> stretch = kernels.subList(markers.get(2 * i) + 1, markers.get(2 * i + 1));
            if (stretch.isEmpty()) throw new IllegalArgumentException(where + ": measured stretch " + (i + 1) + " has no kernel");
            out.add(List.copyOf(stretch));
        }
        return out;
    }
}

package ssd.figures;

import ssd.roofline.calibrate.BenchCsv;
import ssd.roofline.calibrate.BenchRow;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the CSV that {@code ssd bench-forward --out} writes into {@link ForwardPoint}s, through the simulator's
 * {@link BenchCsv} (the same parser and the same one-line errors as {@code ssd simulate calibrate}).
 */
public final class ForwardCsv {
    /** The columns of a bench-forward CSV, in order. */
    static final List<String> COLUMNS = List.of(BenchCsv.HEADER.split(","));

    private ForwardCsv() {
    }

    public static List<ForwardPoint> read(Path file) {
        List<ForwardPoint> points = new ArrayList<>();
        List<BenchRow> rows = BenchCsv.read(file);
        for (int i = 0; i < rows.size(); i++) {
            BenchRow r = rows.get(i);
            try {
                points.add(new ForwardPoint(r.device(), r.dtype().flagName(), r.shape().nLayer() + "L d" + r.shape().nEmbd(),
                        r.newTokens(), r.msPerForward(), r.weightBytes(), r.copyBandwidth()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " row " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return points;
    }
}

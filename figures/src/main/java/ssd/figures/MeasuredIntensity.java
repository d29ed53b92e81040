package ssd.figures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A forward's arithmetic intensity as Nsight Compute measured it: the {@code total} rows of the CSV that
 * {@code ssd check intensity} writes (the simulator's FLOPs over the DRAM bytes the counters saw). Figure 1 plots it
 * beside the forward's predicted point when a {@code bench-forward} row of the same device, dtype, model and batch
 * gives its time.
 *
 * @param device   device label with mode tag, as bench-forward names it
 * @param model    e.g. "36L d1280"
 * @param flops    the simulator's FLOPs of the forward
 */
public record MeasuredIntensity(String device, String dtype, String model, int rows, double flops, double intensity) {
    static final String HEADER_START = "device,dtype,model,mode,rows,prefix,group,kernels,dram_read_bytes,dram_write_bytes,counted_flops,model_flops,model_bytes,measured_intensity";

    public static List<MeasuredIntensity> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (lines.isEmpty() || !lines.get(0).startsWith(HEADER_START))
            throw new IllegalArgumentException(file + " line 1: expected the header of ssd check intensity's CSV (" + HEADER_START + ",...)");
        List<MeasuredIntensity> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            List<String> f = fields(lines.get(i));
            String at = file + " line " + (i + 1);
            if (f.size() < 14) throw new IllegalArgumentException(at + ": expected at least 14 columns, got " + f.size());
            if (!f.get(6).equals("total")) continue;
            try {
                out.add(new MeasuredIntensity(f.get(0), f.get(1), f.get(2), Integer.parseInt(f.get(4)), Double.parseDouble(f.get(11)),
                        Double.parseDouble(f.get(13))));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(at + ": rows, model_flops and measured_intensity must be numbers");
            }
        }
        if (out.isEmpty()) throw new IllegalArgumentException(file + ": no total rows");
        return out;
    }

    /** Whether this is the measurement of a bench-forward point. */
    public boolean matches(ForwardPoint p) {
        return device.equals(p.device()) && dtype.equals(p.dtype()) && model.equals(p.model()) && rows == p.newTokens();
    }

    private static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else cur.append(c);
        }
        out.add(cur.toString());
        return out;
    }
}

package ssd.training;

import ssd.common.AtomicFiles;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * train-log.csv: one row per evaluation (step, tokens, mean train loss since the previous row, val loss, lr,
 * tokens/s of the training steps, MFU or empty when unknown). Rows are flushed as written; a resumed run first drops
 * the rows an interrupted run wrote after its last saved state, so the log reads as one uninterrupted run.
 */
public final class TrainLog implements AutoCloseable {
    public static final String HEADER = "step,tokens,train_loss,val_loss,lr,tokens_per_s,mfu";

    public record Row(long step, long tokens, double trainLoss, double valLoss, double lr, double tokensPerSecond, Double mfu) {
        String csv() {
            return String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%.6e,%.1f,%s", step, tokens, trainLoss, valLoss, lr, tokensPerSecond,
                    mfu == null ? "" : String.format(Locale.ROOT, "%.4f", mfu));
        }
    }

    private final Path file;
    private final BufferedWriter out;

    private TrainLog(Path file, BufferedWriter out) {
        this.file = file;
        this.out = out;
    }

    /** Opens the log for a run at {@code fromStep}: a new file at step 0, else the existing rows up to that step. */
    public static TrainLog open(Path file, long fromStep) {
        try {
            List<String> keep = new ArrayList<>();
            keep.add(HEADER);
            if (fromStep > 0 && Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (line.isBlank() || line.equals(HEADER)) continue;
                    long step = Long.parseLong(line.substring(0, line.indexOf(',')));
                    if (step <= fromStep) keep.add(line);
                }
            }
            AtomicFiles.writeResumable(file, o -> o.write((String.join("\n", keep) + "\n").getBytes(StandardCharsets.UTF_8)));
            return new TrainLog(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open training log " + file + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw e; // a failed write (a full disk), not a malformed log
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("training log " + file + " is malformed: " + e.getMessage(), e);
        }
    }

    public void append(Row row) {
        try {
            out.write(row.csv());
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the training log " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

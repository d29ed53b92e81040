package ssd.decoder.forward;

import org.bytedeco.javacpp.PointerScope;
import ssd.decoder.torch.Torch;

/**
 * A {@link Readout} of one forward on the host: {@code rows} rows of {@code columns} floats, row-major, and what the
 * forward did (for traffic accounting).
 */
public record ReadoutRows(int rows, int columns, float[] values, ForwardStats stats) {
    public ReadoutRows {
        if (values.length != rows * columns) throw new IllegalArgumentException(rows + " x " + columns + " readout holds " + values.length + " floats");
    }

    /** The readout of logits already computed (the path of forwards without a captured readout). */
    public static ReadoutRows of(Logits logits, Readout readout) {
        try (PointerScope scope = new PointerScope()) {
            float[] v = Torch.toFloats(readout.apply(logits.tensor()));
            return new ReadoutRows(logits.rows(), readout.columns(logits.vocabSize()), v, logits.stats());
        }
    }

    public float value(int row, int column) {
        return values[row * columns + column];
    }

    /** Column {@code column} of row {@code row} as a token id (argmax readouts, the id half of top readouts). */
    public int token(int row, int column) {
        return (int) values[row * columns + column];
    }
}

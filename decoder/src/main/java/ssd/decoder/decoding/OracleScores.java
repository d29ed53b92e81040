package ssd.decoder.decoding;

import ssd.decoder.forward.Readout;
import ssd.decoder.forward.ReadoutRows;

/**
 * What the verifier (and the baseline) reads of one oracle forward, reduced on the device and copied in one transfer:
 * each row's argmax when greedy, each row's sampling distribution ({@link TargetDistribution}) otherwise.
 */
public final class OracleScores {
    private final int[] argmax;
    private final SparseDistribution[] targets;

    private OracleScores(int[] argmax, SparseDistribution[] targets) {
        this.argmax = argmax;
        this.targets = targets;
    }

    /** The device reduction the verifier reads: each row's argmax when greedy, its sampling distribution otherwise. */
    public static Readout readout(SamplingConfig sampling) {
        return sampling.isGreedy() ? Readout.argmax() : TargetDistribution.readout(sampling);
    }

    /** The scores of a {@link #readout(SamplingConfig)}'s rows. */
    public static OracleScores of(ReadoutRows rows, SamplingConfig sampling) {
        if (sampling.isGreedy()) {
            int[] a = new int[rows.rows()];
            for (int r = 0; r < a.length; r++) a[r] = rows.token(r, 0);
            return new OracleScores(a, null);
        }
        return new OracleScores(null, TargetDistribution.of(rows));
    }

    public int rows() {
        return argmax != null ? argmax.length : targets.length;
    }

    /** The greedy token after row {@code row} (first index on exact ties, as torch.argmax). */
    public int argmax(int row) {
        if (argmax == null) throw new IllegalStateException("sampling scores have no argmax");
        return argmax[row];
    }

    /** The sampling target after row {@code row}. */
    public SparseDistribution target(int row) {
        if (targets == null) throw new IllegalStateException("greedy scores have no sampling distribution");
        return targets[row];
    }

    /** The oracle's own token after row {@code row}: the argmax, or a draw from the target. */
    public int choose(int row, Sampler sampler) {
        return argmax != null ? argmax[row] : sampler.sample(targets[row]);
    }
}

package ssd.decoder.decoding;

import ssd.decoder.model.Logits;

/** Small steps shared by the decoders. */
final class ModelSteps {
    private ModelSteps() {
    }

    static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        return p;
    }

    /** The oracle's token for one row: argmax when greedy (no host copy of the row), else a draw from the target. */
    static int choose(Logits logits, int row, Sampler sampler) {
        if (sampler.config().isGreedy()) return logits.argmax(row);
        return sampler.sample(sampler.distribution(logits.row(row)));
    }
}

package ssd.decoder.decoding;

import ssd.decoder.model.Logits;

/** Small steps shared by the decoders. */
final class ModelSteps {
    private ModelSteps() {
    }

    /** The oracle's token for one row: argmax when greedy (no host copy of the row), else a draw from the target. */
    static int choose(Logits logits, int row, Sampler sampler) {
        if (sampler.config().isGreedy()) return logits.argmax(row);
        return sampler.sample(sampler.distribution(logits.row(row)));
    }
}

package ssd.decoder.decoding;

import ssd.decoder.model.GPT2Config;

/** Checks a prompt against a model before any work is done. */
final class Prompts {
    private Prompts() {
    }

    static void check(int[] prompt, GPT2Config config) {
        if (prompt.length == 0) throw new IllegalArgumentException("the prompt is empty: give at least one token");
        for (int t : prompt) {
            if (t < 0 || t >= config.vocabSize()) {
                throw new IllegalArgumentException("prompt token id " + t + " is outside the vocabulary [0, " + config.vocabSize() + ")");
            }
        }
        if (prompt.length >= config.nPositions()) {
            throw new IllegalArgumentException("the prompt has " + prompt.length + " tokens; the model's context is "
                    + config.nPositions() + ", leaving no room to generate");
        }
    }
}

package ssd.decoder.decoding;

import java.util.Arrays;

/**
 * The tokens a speculative decoder has settled on: prompt plus emitted tokens, of which all but the newest are in the
 * oracle's cache. The newest ("last") is fed as the root of the next oracle batch. A draft's cache may lag behind;
 * {@link #backlog(int)} is what it still has to read.
 */
final class TokenSequence {
    private int[] tokens;
    private int size;

    TokenSequence(int[] prompt) {
        tokens = Arrays.copyOf(prompt, Math.max(16, prompt.length * 2));
        size = prompt.length;
    }

    void append(int token) {
        if (size == tokens.length) tokens = Arrays.copyOf(tokens, size * 2);
        tokens[size++] = token;
    }

    int size() {
        return size;
    }

    int tokenAt(int i) {
        return tokens[i];
    }

    int last() {
        return tokens[size - 1];
    }

    /** Everything but the newest token: what the oracle's cache holds between rounds. */
    int[] settledPrefix() {
        return Arrays.copyOf(tokens, size - 1);
    }

    /** Tokens from {@code cachedLength} to the end (the newest included): what a cache of that length must still read. */
    int[] backlog(int cachedLength) {
        return Arrays.copyOfRange(tokens, cachedLength, size);
    }

    /** The two tokens before position {@code end} (fewer at the start), as n-gram history. */
    int[] history(int end, int n) {
        return Arrays.copyOfRange(tokens, Math.max(0, end - n), end);
    }
}

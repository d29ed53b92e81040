package ssd.decoder.decoding;

import java.util.List;

/**
 * When generation ends: after {@code maxNewTokens}, at the end-of-text token {@code eosToken} (-1 for none; the token
 * is kept in the output ids but not in the text), or when the text contains one of {@code stopStrings} (the text is
 * cut before it; the ids keep the token that completed it).
 */
public record StopConditions(int maxNewTokens, int eosToken, List<String> stopStrings) {
    public StopConditions {
        if (maxNewTokens < 1) throw new IllegalArgumentException("--max-new-tokens must be at least 1, got " + maxNewTokens);
        stopStrings = List.copyOf(stopStrings);
        for (String s : stopStrings) if (s.isEmpty()) throw new IllegalArgumentException("a stop string must not be empty");
    }

    public static StopConditions maxTokens(int n) {
        return new StopConditions(n, -1, List.of());
    }
}

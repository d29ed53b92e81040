package ssd.datasets.corpus;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding of a source file. */
final class SourceText {
    private SourceText() {
    }

    /** The text of {@code bytes}, or null when they are not valid UTF-8. */
    static String decodeUtf8(byte[] bytes) {
        String fast = new String(bytes, StandardCharsets.UTF_8);
        // The lenient decoder marks bad input with U+FFFD; only then pay for a strict decode (the file may also
        // contain a genuine U+FFFD).
        if (fast.indexOf('\uFFFD') < 0) return fast;
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}

package ssd.datasets.tokenize;

/**
 * A hand-written equivalent of r50k_base's split regex as jtokkit compiles it
 * ({@code '(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+} with
 * {@code UNICODE_CHARACTER_CLASS}). The regex is most of jtokkit's cost on source code; this scanner is a
 * few table look-ups per char. Equivalence with jtokkit is tested on fuzzed Unicode and real Python.
 */
public final class R50kPreTokenizer {
    private static final byte LETTER = 0, NUMBER = 1, SPACE = 2, OTHER = 3;
    private static final byte[] ASCII = new byte[128];

    static {
        for (int c = 0; c < 128; c++) ASCII[c] = classifySlow(c);
    }

    private R50kPreTokenizer() {
    }

    /** The end (exclusive) of the piece of {@code text[0..n)} that starts at {@code start < n}. */
    public static int pieceEnd(char[] text, int start, int n) {
        char c = text[start];
        if (c == '\'' && start + 1 < n) {
            int contraction = contractionLength(text, start + 1, n);
            if (contraction > 0) return start + 1 + contraction;
        }
        // " ?\p{L}+", " ?\p{N}+", " ?[^\s\p{L}\p{N}]+": an optional single space, then a run of one class.
        int body = c == ' ' ? start + 1 : start;
        if (body < n) {
            int cp = codePointAt(text, body, n);
            byte cls = classify(cp);
            if (cls != SPACE) return runEnd(text, body + Character.charCount(cp), n, cls);
        }
        // "\s+(?!\S)|\s+": a whitespace run, minus its last char when a non-space follows (that char then
        // starts the next piece, e.g. the space that prefixes the next word).
        int end = start + 1;
        while (end < n && isSpace(text[end])) end++; // whitespace is never a surrogate pair
        if (end == n || end - start == 1) return end;
        return end - 1;
    }

    private static int contractionLength(char[] text, int i, int n) {
        char a = text[i];
        if (a == 's' || a == 'd' || a == 'm' || a == 't') return 1;
        if (i + 1 < n) {
            char b = text[i + 1];
            if ((a == 'l' && b == 'l') || (a == 'v' && b == 'e') || (a == 'r' && b == 'e')) return 2;
        }
        return 0;
    }

    private static int runEnd(char[] text, int i, int n, byte cls) {
        while (i < n) {
            char ch = text[i];
            if (ch < 128) {
                if (ASCII[ch] != cls) return i;
                i++;
            } else {
                int cp = codePointAt(text, i, n);
                if (classify(cp) != cls) return i;
                i += Character.charCount(cp);
            }
        }
        return i;
    }

    private static int codePointAt(char[] text, int i, int n) {
        char ch = text[i];
        if (Character.isHighSurrogate(ch) && i + 1 < n) {
            char lo = text[i + 1];
            if (Character.isLowSurrogate(lo)) return Character.toCodePoint(ch, lo);
        }
        return ch;
    }

    private static boolean isSpace(char ch) {
        return ch < 128 ? ASCII[ch] == SPACE : classifySlow(ch) == SPACE;
    }

    private static byte classify(int cp) {
        return cp < 128 ? ASCII[cp] : classifySlow(cp);
    }

    private static byte classifySlow(int cp) {
        int type = Character.getType(cp);
        switch (type) {
            case Character.UPPERCASE_LETTER: case Character.LOWERCASE_LETTER: case Character.TITLECASE_LETTER:
            case Character.MODIFIER_LETTER: case Character.OTHER_LETTER:
                return LETTER;
            case Character.DECIMAL_DIGIT_NUMBER: case Character.LETTER_NUMBER: case Character.OTHER_NUMBER:
                return NUMBER;
            case Character.SPACE_SEPARATOR: case Character.LINE_SEPARATOR: case Character.PARAGRAPH_SEPARATOR:
                return SPACE;
            default:
                // java.util.regex's Unicode White_Space: the separators above, \t..\r and NEL.
                return (cp >= 0x9 && cp <= 0xd) || cp == 0x85 ? SPACE : OTHER;
        }
    }
}

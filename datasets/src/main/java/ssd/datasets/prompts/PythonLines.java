package ssd.datasets.prompts;

import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of Python's lexical structure to cut prompts out of a module without a parser: which physical
 * lines start a logical line (not inside a string, brackets or a backslash continuation), where each line's code
 * ends (before a comment), and where a string literal ends.
 */
final class PythonLines {
    private final String src;
    private final List<String> lines = new ArrayList<>();
    private final List<Integer> offsets = new ArrayList<>();
    private final List<Boolean> logicalStart = new ArrayList<>();
    private final List<Integer> codeEnd = new ArrayList<>();

    PythonLines(String src) {
        this.src = src;
        scan();
    }

    String source() {
        return src;
    }

    int count() {
        return lines.size();
    }

    String line(int i) {
        return lines.get(i);
    }

    int offset(int i) {
        return offsets.get(i);
    }

    boolean isLogicalStart(int i) {
        return logicalStart.get(i);
    }

    /** The line's text before any comment, right-trimmed. */
    String code(int i) {
        return src.substring(offsets.get(i), codeEnd.get(i)).stripTrailing();
    }

    boolean isBlankOrComment(int i) {
        return code(i).isBlank();
    }

    /** The last physical line of the logical line that starts at {@code i}. */
    int logicalEnd(int i) {
        int j = i + 1;
        while (j < count() && !isLogicalStart(j)) j++;
        return j - 1;
    }

    /** The line holding offset {@code pos}. */
    int lineOf(int pos) {
        int lo = 0, hi = count() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (offsets.get(mid) <= pos) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /** The offset just past the string literal whose opening quote is at {@code quote}, or -1 if unterminated. */
    static int stringEnd(String s, int quote) {
        char q = s.charAt(quote);
        boolean triple = quote + 2 < s.length() && s.charAt(quote + 1) == q && s.charAt(quote + 2) == q;
        int i = quote + (triple ? 3 : 1);
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2; // an escaped char never ends the string, raw or not
            } else if (c == q && (!triple || (i + 2 < s.length() && s.charAt(i + 1) == q && s.charAt(i + 2) == q))) {
                return i + (triple ? 3 : 1);
            } else if (c == '\n' && !triple) {
                return -1;
            } else {
                i++;
            }
        }
        return -1;
    }

    private void scan() {
        int n = src.length();
        int depth = 0;
        boolean continued = false; // the next line continues the current logical line
        int lineStart = 0;
        int comment = -1;
        int i = 0;
        startLine(0, true);
        while (i < n) {
            char c = src.charAt(i);
            if (c == '#') {
                comment = i;
                while (i < n && src.charAt(i) != '\n') i++;
                continue;
            }
            if (c == '"' || c == '\'') {
                int end = stringEnd(src, i);
                int stop = end < 0 ? n : end;
                for (int k = i; k < stop; k++) {
                    if (src.charAt(k) == '\n') {
                        finishLine(lineStart, k, comment);
                        comment = -1;
                        lineStart = k + 1;
                        startLine(lineStart, false);
                    }
                }
                i = stop;
                continue;
            }
            if (c == '(' || c == '[' || c == '{') depth++;
            else if (c == ')' || c == ']' || c == '}') depth = Math.max(0, depth - 1);
            else if (c == '\\' && i + 1 < n && src.charAt(i + 1) == '\n') continued = true;
            else if (c == '\n') {
                finishLine(lineStart, i, comment);
                comment = -1;
                lineStart = i + 1;
                startLine(lineStart, depth == 0 && !continued);
                continued = false;
            }
            i++;
        }
        finishLine(lineStart, n, comment);
    }

    private void startLine(int offset, boolean logical) {
        offsets.add(offset);
        logicalStart.add(logical);
    }

    private void finishLine(int start, int end, int comment) {
        lines.add(src.substring(start, end));
        codeEnd.add(comment >= start ? comment : end);
    }
}

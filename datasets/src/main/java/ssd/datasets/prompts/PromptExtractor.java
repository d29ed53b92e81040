package ssd.datasets.prompts;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts HumanEval-style prompts out of a Python module: the module's imports that the function uses, then a
 * top-level, undecorated, public {@code def} with its signature and docstring, ending right after the docstring.
 * Functions without a triple-quoted docstring or without a body after it are skipped.
 */
public final class PromptExtractor {
    private static final Pattern DEF = Pattern.compile("^(?:async\\s+)?def\\s+([A-Za-z_]\\w*)\\s*\\(");
    private static final Pattern DOCSTRING_START = Pattern.compile("^(\\s+)[rRuU]?(\"\"\"|''')");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_]\\w*");

    private PromptExtractor() {
    }

    public static List<PromptCandidate> extract(String source) {
        PythonLines py = new PythonLines(source);
        List<Import> imports = new ArrayList<>();
        List<PromptCandidate> out = new ArrayList<>();
        int previousStatement = -1; // the last top-level logical line seen, to spot decorators
        for (int i = 0; i < py.count(); i++) {
            if (!py.isLogicalStart(i) || py.isBlankOrComment(i)) continue;
            String line = py.line(i);
            if (Character.isWhitespace(line.charAt(0))) continue;
            if (line.startsWith("import ") || line.startsWith("from ")) {
                imports.add(Import.parse(logicalText(py, i)));
            }
            Matcher def = DEF.matcher(line);
            boolean decorated = previousStatement >= 0 && py.line(previousStatement).startsWith("@");
            if (def.find() && !decorated && !def.group(1).startsWith("_")) {
                PromptCandidate c = candidate(py, i, def.group(1), imports);
                if (c != null) out.add(c);
            }
            previousStatement = i;
        }
        return out;
    }

    private static PromptCandidate candidate(PythonLines py, int defLine, String name, List<Import> imports) {
        int sigEnd = py.logicalEnd(defLine);
        while (sigEnd > defLine && py.isBlankOrComment(sigEnd)) sigEnd--;
        if (!py.code(sigEnd).endsWith(":")) return null; // body on the def line, or not a def we understand
        int doc = sigEnd + 1;
        while (doc < py.count() && py.line(doc).isBlank()) doc++;
        if (doc >= py.count() || !py.isLogicalStart(doc)) return null;
        Matcher m = DOCSTRING_START.matcher(py.line(doc));
        if (!m.find()) return null;
        int quote = py.offset(doc) + m.start(2);
        int end = PythonLines.stringEnd(py.source(), quote);
        if (end < 0) return null;
        int docEnd = py.lineOf(end - 1);
        if (!py.source().substring(end, py.offset(docEnd) + py.line(docEnd).length()).isBlank()) return null;

        StringBuilder function = new StringBuilder();
        for (int k = defLine; k <= docEnd; k++) function.append(py.line(k)).append('\n');
        String body = body(py, docEnd + 1);
        if (body.isBlank()) return null;

        Set<String> used = identifiers(function + body);
        StringBuilder prompt = new StringBuilder();
        for (Import imp : imports) {
            if (imp.isFuture() || imp.names().stream().anyMatch(used::contains)) prompt.append(imp.text()).append('\n');
        }
        if (prompt.length() > 0) prompt.append("\n\n");
        prompt.append(function);
        return new PromptCandidate(name, prompt.toString(), body);
    }

    /** The function's lines after the docstring, up to the next top-level statement, without trailing blank lines. */
    private static String body(PythonLines py, int from) {
        int end = from;
        for (int k = from; k < py.count(); k++) {
            String line = py.line(k);
            if (py.isLogicalStart(k) && !py.isBlankOrComment(k) && !Character.isWhitespace(line.charAt(0))) break;
            end = k + 1;
        }
        while (end > from && py.isBlankOrComment(end - 1)) end--;
        StringBuilder sb = new StringBuilder();
        for (int k = from; k < end; k++) sb.append(py.line(k)).append('\n');
        return sb.toString();
    }

    private static String logicalText(PythonLines py, int start) {
        int end = py.logicalEnd(start);
        while (end > start && py.isBlankOrComment(end)) end--;
        StringBuilder sb = new StringBuilder(py.line(start));
        for (int k = start + 1; k <= end; k++) sb.append('\n').append(py.line(k));
        return sb.toString();
    }

    private static Set<String> identifiers(String text) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(text);
        while (m.find()) out.add(m.group());
        return out;
    }

    /** A top-level import statement and the names it binds. */
    record Import(String text, List<String> names, boolean isFuture) {
        static Import parse(String text) {
            String flat = text.replaceAll("#[^\n]*", " ").replace("\\\n", " ").replace('\n', ' ')
                    .replace("(", " ").replace(")", " ").trim();
            List<String> names = new ArrayList<>();
            boolean future = false;
            if (flat.startsWith("from ")) {
                int at = flat.indexOf(" import ");
                if (at >= 0) {
                    future = flat.substring(5, at).trim().equals("__future__");
                    for (String part : flat.substring(at + 8).split(",")) names.add(boundName(part, false));
                }
            } else {
                for (String part : flat.substring(7).split(",")) names.add(boundName(part, true));
            }
            names.removeIf(String::isEmpty);
            return new Import(text, names, future);
        }

        /** "a.b as c" binds c; "a.b" binds a (plain import) or b (never dotted in from-imports). */
        private static String boundName(String part, boolean plainImport) {
            String[] words = part.trim().split("\\s+");
            if (words.length >= 3 && words[words.length - 2].equals("as")) return words[words.length - 1];
            String name = words[0];
            if (name.equals("*")) return "";
            return plainImport && name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        }
    }
}

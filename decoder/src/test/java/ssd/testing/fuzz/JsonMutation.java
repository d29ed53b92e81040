package ssd.testing.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One structural edit of a JSON document: replace a value (by {@link Interesting#json}), remove it, rename an object
 * key, or add an unexpected field. The node is chosen by its pre-order position as a fraction of the node count.
 */
public record JsonMutation(Kind kind, double where, long value) {
    public enum Kind { REPLACE, REMOVE, RENAME, ADD_FIELD }

    private static final ObjectMapper JSON = new ObjectMapper();

    public static Arbitrary<JsonMutation> any() {
        return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.doubles().between(0, 1),
                Arbitraries.longs().between(0, 1000)).as(JsonMutation::new);
    }

    public static Arbitrary<List<JsonMutation>> lists() {
        return any().list().ofMinSize(1).ofMaxSize(3);
    }

    /** {@code json} with the edits applied, as UTF-8 text. */
    public static byte[] applyAll(byte[] json, List<JsonMutation> edits) {
        try {
            JsonNode root = JSON.readTree(json);
            for (JsonMutation m : edits) root = m.apply(root);
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A node, its parent and where it sits in the parent (field name or index); the root has no parent. */
    private record Site(JsonNode node, JsonNode parent, String field, int index) {
    }

    public JsonNode apply(JsonNode root) {
        List<Site> sites = new ArrayList<>();
        collect(root, null, null, -1, sites);
        Site s = sites.get((int) Math.min(sites.size() - 1, Math.floor(where * sites.size())));
        JsonNode replacement = Interesting.json(value);
        switch (kind) {
            case REPLACE:
                if (s.parent == null) return replacement;
                put(s, replacement);
                return root;
            case REMOVE:
                if (s.parent instanceof ObjectNode o) o.remove(s.field);
                else if (s.parent instanceof ArrayNode a) a.remove(s.index);
                return root;
            case RENAME:
                if (s.parent instanceof ObjectNode o) {
                    o.remove(s.field);
                    o.set(value % 2 == 0 ? s.field.toUpperCase(java.util.Locale.ROOT) : s.field + "x", s.node);
                }
                return root;
            case ADD_FIELD:
                if (s.node instanceof ObjectNode o) o.set("unexpected_" + value, replacement);
                else if (s.node instanceof ArrayNode a) a.add(replacement);
                return root;
            default:
                throw new AssertionError(kind);
        }
    }

    private static void put(Site s, JsonNode v) {
        if (s.parent instanceof ObjectNode o) o.set(s.field, v);
        else ((ArrayNode) s.parent).set(s.index, v);
    }

    private static void collect(JsonNode n, JsonNode parent, String field, int index, List<Site> out) {
        out.add(new Site(n, parent, field, index));
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                collect(e.getValue(), n, e.getKey(), -1, out);
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) collect(n.get(i), n, null, i, out);
        }
    }
}

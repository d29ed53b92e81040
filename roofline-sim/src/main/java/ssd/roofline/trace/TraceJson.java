package ssd.roofline.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ssd.common.Dtype;
import ssd.roofline.ModelShape;
import ssd.roofline.ModelShapes;
import ssd.roofline.io.Json;
import ssd.roofline.io.JsonFields;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The decoding-trace JSON format. A file holds one trace object or an array of them (e.g. one per prompt):
 * <pre>{@code
 * {
 *   "method": "staged",                       // "baseline" | "speculative" | "staged"
 *   "oracle": {"n_layer": 36, "n_embd": 1280, "n_head": 20, "vocab_size": 50257, "n_positions": 1024},
 *   "draft":  {"n_layer": 4, "n_embd": 512, "n_head": 8, "vocab_size": 50257, "n_positions": 1024},  // or null
 *   "dtype": "fp16",                          // "fp32" | "fp16" | "bf16"
 *   "generated_tokens": 128,                  // = sum of oracle_calls[].accepted
 *   "oracle_calls": [ {"prefix_len": 0, "new_tokens": 143, "accepted": 1},
 *                     {"prefix_len": 143, "new_tokens": 17, "accepted": 4}, ... ],
 *   "draft_calls":  [ {"prefix_len": 143, "new_tokens": 1}, ... ],
 *   "ngram_queries": 530
 * }
 * }</pre>
 * Field meanings are on {@link DecodingTrace}, {@link OracleCall} and {@link DraftCall}. Unknown fields are ignored
 * so the decoder may add its own (e.g. a prompt id); every listed field is required ("draft" may be null).
 */
public final class TraceJson {
    private TraceJson() {
    }

    public static List<DecodingTrace> read(Path file) {
        return fromJson(Json.read(file), file.toString());
    }

    public static List<DecodingTrace> fromJson(JsonNode root, String where) {
        List<DecodingTrace> out = new ArrayList<>();
        if (root.isArray()) {
            if (root.isEmpty()) throw new IllegalArgumentException(where + ": empty array, expected at least one trace");
            for (int i = 0; i < root.size(); i++) out.add(traceFromJson(root.get(i), where + "[" + i + "]"));
        } else {
            out.add(traceFromJson(root, where));
        }
        return out;
    }

    public static void write(Path file, List<DecodingTrace> traces) {
        if (traces.size() == 1) {
            Json.write(toJson(traces.get(0)), file);
        } else {
            ArrayNode arr = Json.object().arrayNode();
            for (DecodingTrace t : traces) arr.add(toJson(t));
            Json.write(arr, file);
        }
    }

    public static DecodingTrace traceFromJson(JsonNode node, String where) {
        JsonFields.requireObject(node, where);
        Method method;
        Dtype dtype;
        try {
            method = Method.parse(JsonFields.requireString(node, "method", where));
            dtype = Dtype.parse(JsonFields.requireString(node, "dtype", where));
        } catch (IllegalArgumentException e) {
            throw prefixed(where, e);
        }
        ModelShape oracle = ModelShapes.fromJson(JsonFields.requireField(node, "oracle", where), where + ": oracle");
        if (!node.has("draft")) throw new IllegalArgumentException(where + ": missing required field 'draft' (use null for none)");
        ModelShape draft = node.get("draft").isNull() ? null : ModelShapes.fromJson(node.get("draft"), where + ": draft");
        int generated = JsonFields.requireInt(node, "generated_tokens", 1, where);
        JsonNode oc = JsonFields.requireArray(node, "oracle_calls", where);
        List<OracleCall> oracleCalls = new ArrayList<>(oc.size());
        for (int i = 0; i < oc.size(); i++) {
            String at = where + ": oracle_calls[" + i + "]";
            JsonNode c = JsonFields.requireObject(oc.get(i), at);
            try {
                oracleCalls.add(new OracleCall(JsonFields.requireInt(c, "prefix_len", 0, at),
                        JsonFields.requireInt(c, "new_tokens", 1, at), JsonFields.requireInt(c, "accepted", 1, at)));
            } catch (IllegalArgumentException e) {
                throw prefixed(at, e);
            }
        }
        JsonNode dc = JsonFields.requireArray(node, "draft_calls", where);
        List<DraftCall> draftCalls = new ArrayList<>(dc.size());
        for (int i = 0; i < dc.size(); i++) {
            String at = where + ": draft_calls[" + i + "]";
            JsonNode c = JsonFields.requireObject(dc.get(i), at);
            draftCalls.add(new DraftCall(JsonFields.requireInt(c, "prefix_len", 0, at), JsonFields.requireInt(c, "new_tokens", 1, at)));
        }
        long ngram = JsonFields.requireLong(node, "ngram_queries", 0, where);
        try {
            return new DecodingTrace(method, oracle, draft, dtype, generated, oracleCalls, draftCalls, ngram);
        } catch (IllegalArgumentException e) {
            throw prefixed(where, e);
        }
    }

    public static ObjectNode toJson(DecodingTrace t) {
        ObjectNode o = Json.object();
        o.put("method", t.method().label());
        o.set("oracle", ModelShapes.toJson(t.oracle()));
        if (t.draft() == null) o.putNull("draft");
        else o.set("draft", ModelShapes.toJson(t.draft()));
        o.put("dtype", t.dtype().flagName());
        o.put("generated_tokens", t.generatedTokens());
        ArrayNode oc = o.putArray("oracle_calls");
        for (OracleCall c : t.oracleCalls()) {
            oc.addObject().put("prefix_len", c.prefixLen()).put("new_tokens", c.newTokens()).put("accepted", c.accepted());
        }
        ArrayNode dc = o.putArray("draft_calls");
        for (DraftCall c : t.draftCalls()) dc.addObject().put("prefix_len", c.prefixLen()).put("new_tokens", c.newTokens());
        o.put("ngram_queries", t.ngramQueries());
        return o;
    }

    private static IllegalArgumentException prefixed(String where, IllegalArgumentException e) {
        return e.getMessage() != null && e.getMessage().startsWith(where) ? e : new IllegalArgumentException(where + ": " + e.getMessage());
    }
}

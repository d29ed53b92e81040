package ssd.roofline.io;

import com.fasterxml.jackson.databind.JsonNode;

/** Typed access to required and optional fields of a JSON object, with errors that say where and what was expected. */
public final class JsonFields {
    private JsonFields() {
    }

    public static JsonNode requireObject(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(where + ": expected a JSON object, got " + describe(node));
        }
        return node;
    }

    public static JsonNode requireField(JsonNode object, String field, String where) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) throw new IllegalArgumentException(where + ": missing required field '" + field + "'");
        return v;
    }

    public static String requireString(JsonNode object, String field, String where) {
        JsonNode v = requireField(object, field, where);
        if (!v.isTextual()) throw wrongType(where, field, "a string", v);
        return v.asText();
    }

    public static String optionalString(JsonNode object, String field, String fallback, String where) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) return fallback;
        if (!v.isTextual()) throw wrongType(where, field, "a string", v);
        return v.asText();
    }

    public static int requireInt(JsonNode object, String field, int min, String where) {
        long v = requireLong(object, field, min, where);
        if (v > Integer.MAX_VALUE) throw wrongType(where, field, "an integer below 2^31", object.get(field));
        return (int) v;
    }

    public static long requireLong(JsonNode object, String field, long min, String where) {
        JsonNode v = requireField(object, field, where);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) throw wrongType(where, field, "an integer", v);
        if (v.asLong() < min) throw wrongType(where, field, "an integer >= " + min, v);
        return v.asLong();
    }

    public static double requireDouble(JsonNode object, String field, double min, String where) {
        JsonNode v = requireField(object, field, where);
        return checkedDouble(v, field, min, where);
    }

    public static double optionalDouble(JsonNode object, String field, double fallback, double min, String where) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) return fallback;
        return checkedDouble(v, field, min, where);
    }

    private static double checkedDouble(JsonNode v, String field, double min, String where) {
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) throw wrongType(where, field, "a number", v);
        if (v.asDouble() < min) throw wrongType(where, field, "a number >= " + min, v);
        return v.asDouble();
    }

    public static JsonNode requireArray(JsonNode object, String field, String where) {
        JsonNode v = requireField(object, field, where);
        if (!v.isArray()) throw wrongType(where, field, "an array", v);
        return v;
    }

    private static IllegalArgumentException wrongType(String where, String field, String expected, JsonNode got) {
        return new IllegalArgumentException(where + ": field '" + field + "' must be " + expected + ", got " + describe(got));
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) return "nothing";
        String text = node.toString();
        return text.length() > 40 ? text.substring(0, 37) + "..." : text;
    }
}

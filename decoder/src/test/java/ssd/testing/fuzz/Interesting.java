package ssd.testing.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ArrayNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** Values that break parsers: boundaries of int and long, sizes near 2^31, 2^53 and 2^60, wrong types, deep nesting. */
public final class Interesting {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final long[] LONGS = {0, 1, -1, 2, 7, 8, 255, 256, 65535, 65536, Integer.MAX_VALUE, 1L << 31, -(1L << 31),
            (1L << 32) - 1, 1L << 32, 1L << 40, 1L << 53, 1L << 60, (1L << 62) + 1, Long.MAX_VALUE, Long.MIN_VALUE,
            Long.MAX_VALUE - 7, -8};

    private Interesting() {
    }

    /** Mostly boundary values, sometimes any long. */
    public static Arbitrary<Long> longs() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.of(box(LONGS))),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs()),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(-300, 300)));
    }

    private static Long[] box(long[] v) {
        Long[] out = new Long[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i];
        return out;
    }

    /** The JSON value number {@code i} (mod the count): numbers at the boundaries, every JSON type, deep nesting. */
    public static JsonNode json(long i) {
        List<JsonNode> v = new ArrayList<>();
        for (long l : LONGS) v.add(F.numberNode(l));
        v.add(F.nullNode());
        v.add(F.booleanNode(true));
        v.add(F.booleanNode(false));
        v.add(F.textNode(""));
        v.add(F.textNode("x"));
        v.add(F.textNode("12"));
        v.add(F.textNode("../../etc/passwd"));
        v.add(F.textNode("F32"));
        v.add(F.textNode("a".repeat(5000)));
        v.add(F.numberNode(1.5));
        v.add(F.numberNode(-0.0));
        v.add(F.numberNode(1e308));
        v.add(F.numberNode(new BigDecimal("1e400")));
        v.add(F.numberNode(new BigInteger("123456789012345678901234567890")));
        v.add(F.arrayNode());
        v.add(F.objectNode());
        v.add(F.arrayNode().add(1).add(2));
        v.add(F.arrayNode().add(1L << 31).add(1L << 31).add(1L << 31));
        v.add(F.arrayNode().add("x").add(-1));
        v.add(F.objectNode().put("a", 1));
        ArrayNode deep = F.arrayNode();
        ArrayNode cur = deep;
        for (int d = 0; d < 200; d++) cur = cur.addArray();
        v.add(deep);
        return v.get((int) Math.floorMod(i, (long) v.size())).deepCopy();
    }
}

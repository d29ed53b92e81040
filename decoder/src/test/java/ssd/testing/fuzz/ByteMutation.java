package ssd.testing.fuzz;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * One edit of a file's bytes, as a fuzzer makes them: flip, insert, delete, truncate, repeat a range, or overwrite
 * eight bytes with a little- or big-endian number (length prefixes and counts). Positions are fractions of the
 * length, so the same edit applies to any file and shrinks well.
 */
public record ByteMutation(Kind kind, double where, double span, long value) {
    public enum Kind { SET_BYTE, FLIP_BIT, INSERT, DELETE, TRUNCATE, REPEAT, LONG_LE, LONG_BE, INT_BE }

    public static Arbitrary<ByteMutation> any() {
        return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.doubles().between(0, 1),
                Arbitraries.doubles().between(0, 0.2), Interesting.longs()).as(ByteMutation::new);
    }

    /** One to four edits. */
    public static Arbitrary<List<ByteMutation>> lists() {
        return any().list().ofMinSize(1).ofMaxSize(4);
    }

    public static byte[] applyAll(byte[] bytes, List<ByteMutation> edits) {
        for (ByteMutation m : edits) bytes = m.apply(bytes);
        return bytes;
    }

    public byte[] apply(byte[] b) {
        int at = (int) Math.min(b.length, Math.floor(where * (b.length + 1)));
        int len = (int) Math.max(1, Math.round(span * b.length));
        switch (kind) {
            case SET_BYTE:
                if (at >= b.length) return b;
                b = b.clone();
                b[at] = (byte) value;
                return b;
            case FLIP_BIT:
                if (at >= b.length) return b;
                b = b.clone();
                b[at] ^= (byte) (1 << (Math.abs(value) % 8));
                return b;
            case INSERT: {
                byte[] ins = new byte[(int) Math.min(len, 64)];
                Arrays.fill(ins, (byte) value);
                return splice(b, at, 0, ins);
            }
            case DELETE:
                return splice(b, at, Math.min(len, b.length - at), new byte[0]);
            case TRUNCATE:
                return Arrays.copyOf(b, at);
            case REPEAT: {
                int n = Math.min(len, b.length - at);
                return splice(b, at, 0, Arrays.copyOfRange(b, at, at + n));
            }
            case LONG_LE:
                return overwrite(b, at, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
            case LONG_BE:
                return overwrite(b, at, ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putLong(value).array());
            case INT_BE:
                return overwrite(b, at, ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt((int) value).array());
            default:
                throw new AssertionError(kind);
        }
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }

    private static byte[] overwrite(byte[] b, int at, byte[] with) {
        b = b.clone();
        for (int i = 0; i < with.length && at + i < b.length; i++) b[at + i] = with[i];
        return b;
    }
}

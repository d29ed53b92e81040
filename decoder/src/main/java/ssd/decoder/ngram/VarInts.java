package ssd.decoder.ngram;

import java.util.Arrays;

/** Unsigned LEB128 varints (7 bits per byte, low groups first): small counts and id gaps take one or two bytes. */
final class VarInts {
    private VarInts() {
    }

    /** A growable byte sink. */
    static final class Writer {
        private byte[] buf = new byte[1 << 16];
        private int size;

        void writeVarLong(long v) {
            if (v < 0) {
                throw new IllegalArgumentException("varints are unsigned, got " + v);
            }
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[size++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[size++] = (byte) v;
        }

        void writeFixedInt(int v) {
            ensure(4);
            buf[size++] = (byte) (v >>> 24);
            buf[size++] = (byte) (v >>> 16);
            buf[size++] = (byte) (v >>> 8);
            buf[size++] = (byte) v;
        }

        void writeFixedLong(long v) {
            writeFixedInt((int) (v >>> 32));
            writeFixedInt((int) v);
        }

        void writeBytes(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }

        /** Overwrites 8 bytes at position pos (for a length known only at the end). */
        void patchFixedLong(int pos, long v) {
            for (int i = 7; i >= 0; i--) {
                buf[pos + 7 - i] = (byte) (v >>> (8 * i));
            }
        }

        int size() {
            return size;
        }

        byte[] buffer() {
            return buf;
        }

        private void ensure(int extra) {
            if (size + extra > buf.length) {
                long want = Math.max((long) buf.length * 2, (long) size + extra);
                if (want > Integer.MAX_VALUE - 8) {
                    throw new IllegalStateException("model file over 2 GiB");
                }
                buf = Arrays.copyOf(buf, (int) want);
            }
        }
    }

    /** Reads from a byte range; any overrun or over-long varint is {@link Malformed}. */
    static final class Reader {
        private final byte[] buf;
        private int pos;
        private final int limit;

        Reader(byte[] buf, int pos, int limit) {
            this.buf = buf;
            this.pos = pos;
            this.limit = limit;
        }

        long readVarLong() throws Malformed {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= limit) {
                    throw new Malformed("payload ends inside a number at byte " + pos);
                }
                byte b = buf[pos++];
                if (shift == 63 && (b & 0xFE) != 0) {
                    break;
                }
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return v;
                }
            }
            throw new Malformed("number too long at byte " + pos);
        }

        /** A varint that must lie in [0, max]. */
        int readVarInt(long max, String what) throws Malformed {
            long v = readVarLong();
            if (v > max || v > Integer.MAX_VALUE) {
                throw new Malformed(what + " " + v + " out of range");
            }
            return (int) v;
        }

        int position() {
            return pos;
        }
    }

    /** Payload content that does not decode. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }
}

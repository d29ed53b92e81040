package ssd.datasets.tokenize;

import ssd.decoder.tokenizer.Gpt2Tokenizer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Encodes text exactly as {@link Gpt2Tokenizer#encode} does, several times faster on source code: pieces are cut
 * by {@link R50kPreTokenizer}, and each distinct piece goes through BPE once and is then served from a cache shared
 * by all threads (code repeats the same identifiers, keywords and indentation runs: the Python stdlib has 41M
 * pieces but only 359K distinct ones). BPE itself is {@link R50kBpe}. Thread-safe.
 *
 * <p>The cache is an insert-only open-addressed table. Each entry is one {@code char[]}: the piece's length, its
 * chars, then its ids; it is published with release/acquire so readers never see a half-filled entry, and it
 * stops growing at half its slots (later new pieces simply go through BPE each time).
 */
public final class FastGpt2Encoder {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(char[][].class);
    /** Longer pieces (long whitespace runs, huge identifiers) are rare and not worth a slot. */
    private static final int MAX_PIECE = 64;
    private static final int DEFAULT_SLOT_BITS = 20;

    private final char[][] table;
    private final int shift;
    private final int maxEntries;
    private final AtomicInteger entries = new AtomicInteger();

    public FastGpt2Encoder() {
        this(DEFAULT_SLOT_BITS);
    }

    FastGpt2Encoder(int slotBits) {
        table = new char[1 << slotBits][];
        shift = 32 - slotBits;
        maxEntries = table.length / 2;
    }

    /** Appends the ids of {@code text} to {@code out} and returns it. */
    public TokenBuffer encode(String text, TokenBuffer out) {
        return encode(text.toCharArray(), text.length(), out);
    }

    /** Appends the ids of {@code text[0..n)} to {@code out} and returns it. */
    public TokenBuffer encode(char[] text, int n, TokenBuffer out) {
        int start = 0;
        while (start < n) {
            int end = R50kPreTokenizer.pieceEnd(text, start, n);
            if (end - start > MAX_PIECE) out.addAll(bpe(new String(text, start, end - start)));
            else encodePiece(text, start, end, out);
            start = end;
        }
        return out;
    }

    public int[] encode(String text) {
        return encode(text, new TokenBuffer(Math.max(16, text.length() / 2))).toIntArray();
    }

    private void encodePiece(char[] text, int start, int end, TokenBuffer out) {
        int len = end - start;
        int h = 0;
        for (int i = start; i < end; i++) h = 31 * h + text[i];
        int mask = table.length - 1;
        int home = (h * 0x9E3779B9) >>> shift;
        for (int slot = home; ; slot = (slot + 1) & mask) {
            char[] e = (char[]) SLOT.getAcquire(table, slot);
            if (e == null) break;
            if (e[0] == len && sameChars(e, text, start, len)) {
                out.addAll(e, len + 1, e.length - len - 1);
                return;
            }
        }
        char[] ids = bpe(new String(text, start, len));
        out.addAll(ids);
        if (entries.get() < maxEntries) insert(home, text, start, len, ids);
    }

    private void insert(int home, char[] text, int start, int len, char[] ids) {
        char[] e = new char[1 + len + ids.length];
        e[0] = (char) len;
        System.arraycopy(text, start, e, 1, len);
        System.arraycopy(ids, 0, e, 1 + len, ids.length);
        int mask = table.length - 1;
        for (int slot = home; ; slot = (slot + 1) & mask) {
            if (SLOT.compareAndSet(table, slot, (char[]) null, e)) {
                entries.incrementAndGet();
                return;
            }
            // Taken (possibly by the same piece from another thread: a duplicate entry is harmless).
        }
    }

    private static boolean sameChars(char[] e, char[] text, int start, int len) {
        // Pieces are a few chars long: a plain loop beats Arrays.equals' vectorized set-up.
        for (int i = 0; i < len; i++) if (e[1 + i] != text[start + i]) return false;
        return true;
    }

    private static char[] bpe(String piece) {
        return R50kBpe.get().encode(piece);
    }
}

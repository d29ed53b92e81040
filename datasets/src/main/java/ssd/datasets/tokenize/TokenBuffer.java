package ssd.datasets.tokenize;

import java.util.Arrays;

/** A growable list of GPT-2 ids stored as {@code char} (unsigned 16-bit, the shard format's width). */
public final class TokenBuffer {
    private char[] data;
    private int size;

    public TokenBuffer(int capacity) {
        data = new char[Math.max(1, capacity)];
    }

    public void add(int id) {
        ensure(size + 1);
        data[size++] = (char) id;
    }

    public void addAll(char[] ids) {
        addAll(ids, 0, ids.length);
    }

    public void addAll(char[] ids, int from, int count) {
        ensure(size + count);
        System.arraycopy(ids, from, data, size, count);
        size += count;
    }

    public int size() {
        return size;
    }

    public int get(int i) {
        return data[i];
    }

    /** The backing array; only the first {@link #size()} entries are meaningful. */
    public char[] array() {
        return data;
    }

    public int[] toIntArray() {
        int[] out = new int[size];
        for (int i = 0; i < size; i++) out[i] = data[i];
        return out;
    }

    private void ensure(int needed) {
        if (needed > data.length) data = Arrays.copyOf(data, Math.max(needed, data.length + (data.length >> 1)));
    }
}

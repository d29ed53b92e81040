package ssd.datasets.shards;

import ssd.decoder.tokenizer.Gpt2Tokenizer;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * One split of a token corpus: its shards read as one continuous stream of ids (documents separated by
 * {@code <|endoftext|>}), memory-mapped. Thread-safe: reads never move a buffer's position.
 */
public final class TokenSplit {
    private final String name;
    private final long files;
    private final ByteBuffer[] shards;
    /** starts[i] is the stream offset of shard i's first token; starts[shards.length] is the total. */
    private final long[] starts;

    TokenSplit(String name, long files, List<? extends ByteBuffer> maps) {
        this.name = name;
        this.files = files;
        this.shards = maps.toArray(new ByteBuffer[0]);
        this.starts = new long[shards.length + 1];
        for (int i = 0; i < shards.length; i++) starts[i + 1] = starts[i] + shards[i].capacity() / 2;
    }

    public String name() {
        return name;
    }

    /** Tokens in the split, separators included. */
    public long tokens() {
        return starts[shards.length];
    }

    /** Source files (documents) in the split. */
    public long files() {
        return files;
    }

    public int get(long index) {
        if (index < 0 || index >= tokens()) {
            throw new IndexOutOfBoundsException("token " + index + " of split " + name + " with " + tokens() + " tokens");
        }
        int s = shardOf(index);
        return shards[s].getChar((int) (2 * (index - starts[s])));
    }

    /** Copies {@code len} tokens starting at {@code start} into {@code out[off..]}, across shard boundaries. */
    public void read(long start, int[] out, int off, int len) {
        if (start < 0 || len < 0 || start + len > tokens()) {
            throw new IndexOutOfBoundsException("tokens [" + start + ", " + (start + len) + ") of split " + name
                    + " with " + tokens() + " tokens");
        }
        int s = len == 0 ? 0 : shardOf(start);
        long pos = start;
        int done = 0;
        while (done < len) {
            ByteBuffer shard = shards[s];
            int local = (int) (pos - starts[s]);
            int n = (int) Math.min(len - done, starts[s + 1] - pos);
            for (int i = 0; i < n; i++) out[off + done + i] = shard.getChar(2 * (local + i));
            done += n;
            pos += n;
            s++;
        }
    }

    /**
     * Fills {@code out[0..length)} with a window starting at a uniformly random offset (the training sampler).
     *
     * @return the window's start offset
     */
    public long randomWindow(SplittableRandom rng, int length, int[] out) {
        if (length > tokens()) {
            throw new IllegalArgumentException("split " + name + " has " + tokens() + " tokens, fewer than a window of " + length);
        }
        long start = rng.nextLong(tokens() - length + 1);
        read(start, out, 0, length);
        return start;
    }

    /** Consecutive windows of {@code length} tokens from the start; the last one may be shorter (evaluation). */
    public Iterator<int[]> windows(int length) {
        if (length <= 0) throw new IllegalArgumentException("window length must be positive, got " + length);
        return new Iterator<>() {
            long pos = 0;

            @Override
            public boolean hasNext() {
                return pos < tokens();
            }

            @Override
            public int[] next() {
                if (!hasNext()) throw new NoSuchElementException();
                int n = (int) Math.min(length, tokens() - pos);
                int[] w = new int[n];
                read(pos, w, 0, n);
                pos += n;
                return w;
            }
        };
    }

    /** Each source file's ids in order, without the {@code <|endoftext|>} that ends it. */
    public Iterator<int[]> documents() {
        return documents(1 << 16);
    }

    /** @param blockSize tokens read at a time */
    Iterator<int[]> documents(int blockSize) {
        return new Iterator<>() {
            final int[] block = new int[blockSize];
            long blockStart = 0;
            int blockLen = 0, at = 0;

            @Override
            public boolean hasNext() {
                return blockStart + at < tokens();
            }

            @Override
            public int[] next() {
                if (!hasNext()) throw new NoSuchElementException();
                int[] doc = new int[256];
                int n = 0;
                while (hasNext()) {
                    if (at == blockLen) {
                        blockStart += blockLen;
                        blockLen = (int) Math.min(block.length, tokens() - blockStart);
                        read(blockStart, block, 0, blockLen);
                        at = 0;
                    }
                    int id = block[at++];
                    if (id == Gpt2Tokenizer.END_OF_TEXT) break;
                    if (n == doc.length) doc = Arrays.copyOf(doc, 2 * n);
                    doc[n++] = id;
                }
                return Arrays.copyOf(doc, n);
            }
        };
    }

    private int shardOf(long index) {
        int i = Arrays.binarySearch(starts, index);
        // An exact hit on a boundary is the next shard's first token (skip empty shards, which never occur).
        int s = i >= 0 ? i : -i - 2;
        while (s < shards.length - 1 && starts[s + 1] <= index) s++;
        return s;
    }
}

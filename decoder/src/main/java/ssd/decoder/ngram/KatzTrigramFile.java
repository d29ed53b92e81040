package ssd.decoder.ngram;

import ssd.common.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Reads and writes the versioned binary Katz trigram file (layout in docs/ngram.md).
 *
 * <pre>
 *   offset  size  field
 *   0       8     magic "SSDKATZ3"
 *   8       4     format version (big-endian), currently 1
 *   12      8     payload length L (big-endian)
 *   20      L     payload: unsigned LEB128 varints (vocabulary, k, cut-offs, counts; see docs/ngram.md)
 *   20+L    4     CRC-32 (big-endian) of bytes [0, 20+L)
 * </pre>
 * The file holds the cut-off counts and count-of-counts, not probabilities: the model is a deterministic
 * function of them, so reading gives bit-identical query results, and counts compress far better.
 */
public final class KatzTrigramFile {
    static final byte[] MAGIC = "SSDKATZ3".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 1;
    static final int HEADER_BYTES = 8 + 4 + 8;
    static final int TRAILER_BYTES = 4;

    private KatzTrigramFile() {
    }

    /** Writes the model to {@code path} via a temporary file in the same directory and a rename. */
    public static void write(KatzTrigram model, Path path) throws IOException {
        write(model.counts(), path);
    }

    public static void write(KatzCounts counts, Path path) throws IOException {
        VarInts.Writer out = new VarInts.Writer();
        out.writeBytes(MAGIC);
        out.writeFixedInt(VERSION);
        out.writeFixedLong(0);   // payload length, patched below
        encodePayload(counts, out);
        long payloadLength = out.size() - HEADER_BYTES;
        out.patchFixedLong(12, payloadLength);
        CRC32 crc = new CRC32();
        crc.update(out.buffer(), 0, out.size());
        out.writeFixedInt((int) crc.getValue());

        // The fixed temporary NGRAM.tmp: a rerun of a killed `ngram fit --resume` overwrites what it left.
        try {
            AtomicFiles.writeResumable(path, ByteBuffer.wrap(out.buffer(), 0, out.size()));
        } catch (UncheckedIOException e) {
            throw new IOException(e.getMessage(), e.getCause());
        }
    }

    /** Reads and estimates the model; every defect is a one-line {@link KatzFileException} naming the file. */
    public static KatzTrigram read(Path path) throws IOException {
        KatzCounts counts = readCounts(path);
        return KatzTrigram.fromCounts(counts);
    }

    /** Reads and validates the stored counts without estimating the model. */
    public static KatzCounts readCounts(Path path) throws IOException {
        byte[] b = Files.readAllBytes(path);
        checkEnvelope(path, b);
        int payloadEnd = b.length - TRAILER_BYTES;
        KatzCounts counts;
        try {
            counts = decodePayload(new VarInts.Reader(b, HEADER_BYTES, payloadEnd), payloadEnd);
            counts.validate();
        } catch (VarInts.Malformed | IllegalArgumentException e) {
            throw new KatzFileException(path, KatzFileException.Reason.MALFORMED,
                    "malformed payload despite a valid checksum (" + e.getMessage() + ")");
        }
        return counts;
    }

    /** Magic, version, length and checksum, in that order, so each defect gets its own message. */
    private static void checkEnvelope(Path path, byte[] b) throws KatzFileException {
        int magicLen = Math.min(b.length, MAGIC.length);
        for (int i = 0; i < magicLen; i++) {
            if (b[i] != MAGIC[i]) {
                throw new KatzFileException(path, KatzFileException.Reason.BAD_MAGIC,
                        "not a Katz trigram file (bad magic; expected \"SSDKATZ3\")");
            }
        }
        if (b.length < HEADER_BYTES) {
            throw new KatzFileException(path, KatzFileException.Reason.TRUNCATED,
                    "truncated (" + b.length + " bytes, shorter than the " + HEADER_BYTES + "-byte header)");
        }
        ByteBuffer header = ByteBuffer.wrap(b, 0, HEADER_BYTES);
        int version = header.getInt(8);
        if (version != VERSION) {
            throw new KatzFileException(path, KatzFileException.Reason.UNSUPPORTED_VERSION,
                    "unsupported format version " + Integer.toUnsignedString(version)
                            + " (this build reads version " + VERSION + ")");
        }
        long payloadLength = header.getLong(12);
        long expected = payloadLength < 0 || payloadLength > Long.MAX_VALUE - HEADER_BYTES - TRAILER_BYTES
                ? Long.MAX_VALUE : HEADER_BYTES + payloadLength + TRAILER_BYTES;
        if (b.length < expected) {
            throw new KatzFileException(path, KatzFileException.Reason.TRUNCATED,
                    "truncated (" + b.length + " bytes, the header announces "
                            + (expected == Long.MAX_VALUE ? "an impossible length" : expected + " bytes") + ")");
        }
        if (b.length > expected) {
            throw new KatzFileException(path, KatzFileException.Reason.TRAILING_BYTES,
                    "corrupt (" + (b.length - expected) + " unexpected bytes after the " + expected
                            + " the header announces)");
        }
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - TRAILER_BYTES);
        int stored = ByteBuffer.wrap(b, b.length - TRAILER_BYTES, TRAILER_BYTES).getInt();
        int computed = (int) crc.getValue();
        if (stored != computed) {
            throw new KatzFileException(path, KatzFileException.Reason.CHECKSUM_MISMATCH,
                    String.format("checksum mismatch (stored CRC-32 %08x, computed %08x): the file is corrupt",
                            stored, computed));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Payload

    private static void encodePayload(KatzCounts c, VarInts.Writer out) {
        KatzConfig cfg = c.config();
        out.writeVarLong(c.vocabSize());
        out.writeVarLong(cfg.discountCutoff());
        out.writeVarLong(cfg.minBigramCount());
        out.writeVarLong(cfg.minTrigramCount());
        out.writeVarLong(c.totalTokens());
        for (long u : c.unigramCounts()) {
            out.writeVarLong(u);
        }
        for (int r = 1; r <= cfg.discountCutoff() + 1; r++) {
            out.writeVarLong(c.bigramCountOfCounts()[r]);
        }
        for (int r = 1; r <= cfg.discountCutoff() + 1; r++) {
            out.writeVarLong(c.trigramCountOfCounts()[r]);
        }
        encodeLevel(c.bigrams(), cfg.minBigramCount(), out);
        encodeLevel(c.trigrams(), cfg.minTrigramCount(), out);
    }

    /** Keys and tokens as gaps, counts as excess over the cut-off, totals as the cut-off mass: mostly 1-2 bytes. */
    private static void encodeLevel(LevelCounts level, int minCount, VarInts.Writer out) {
        out.writeVarLong(level.contexts());
        long prevKey = -1;
        for (int c = 0; c < level.contexts(); c++) {
            long key = level.contextKeys()[c];
            out.writeVarLong(key - prevKey - 1);
            prevKey = key;
            int from = level.offsets()[c];
            int to = level.offsets()[c + 1];
            long kept = 0;
            for (int i = from; i < to; i++) {
                kept += level.counts()[i];
            }
            out.writeVarLong(level.contextTotals()[c] - kept);
            out.writeVarLong(to - from);
            int prevTok = -1;
            for (int i = from; i < to; i++) {
                out.writeVarLong(level.tokens()[i] - prevTok - 1);
                prevTok = level.tokens()[i];
                out.writeVarLong(level.counts()[i] - minCount);
            }
        }
    }

    private static KatzCounts decodePayload(VarInts.Reader in, int payloadEnd) throws VarInts.Malformed {
        int vocab = in.readVarInt(NgramKeys.MAX_VOCAB, "vocabulary size");
        int k = in.readVarInt(1000, "discount cut-off k");
        int minBi = in.readVarInt(Integer.MAX_VALUE, "bigram cut-off");
        int minTri = in.readVarInt(Integer.MAX_VALUE, "trigram cut-off");
        KatzConfig cfg;
        try {
            cfg = new KatzConfig(k, minBi, minTri);
        } catch (IllegalArgumentException e) {
            throw new VarInts.Malformed(e.getMessage());
        }
        long total = in.readVarLong();
        long[] uni = new long[vocab];
        for (int w = 0; w < vocab; w++) {
            uni[w] = in.readVarLong();
        }
        long[] biN = new long[k + 2];
        long[] triN = new long[k + 2];
        for (int r = 1; r <= k + 1; r++) {
            biN[r] = in.readVarLong();
        }
        for (int r = 1; r <= k + 1; r++) {
            triN[r] = in.readVarLong();
        }
        LevelCounts bigrams = decodeLevel(in, vocab, false, minBi, payloadEnd);
        LevelCounts trigrams = decodeLevel(in, vocab, true, minTri, payloadEnd);
        if (in.position() != payloadEnd) {
            throw new VarInts.Malformed((payloadEnd - in.position()) + " undecoded payload bytes");
        }
        return new KatzCounts(vocab, cfg, total, uni, biN, triN, bigrams, trigrams);
    }

    private static LevelCounts decodeLevel(VarInts.Reader in, int vocab, boolean trigram, int minCount,
                                           int payloadEnd) throws VarInts.Malformed {
        // Every context and entry takes at least one byte per field, which bounds the array sizes we allocate.
        int maxItems = payloadEnd - in.position();
        int contexts = in.readVarInt(maxItems, "context count");
        long[] keys = new long[contexts];
        long[] totals = new long[contexts];
        int[] offsets = new int[contexts + 1];
        int[] tokens = new int[16];
        int[] counts = new int[16];
        int n = 0;
        long key = -1;
        long maxKey = trigram ? (1L << (2 * NgramKeys.BITS)) - 1 : vocab - 1;
        for (int c = 0; c < contexts; c++) {
            long gap = in.readVarLong();
            if (gap > maxKey) {
                throw new VarInts.Malformed("context key gap " + gap + " out of range");
            }
            key += gap + 1;
            keys[c] = key;
            long cutMass = in.readVarLong();
            int followers = in.readVarInt(payloadEnd - in.position(), "follower count");
            offsets[c] = n;
            if (n + followers > tokens.length) {
                int cap = (int) Math.min(Integer.MAX_VALUE - 8, Math.max((long) n + followers, 2L * tokens.length));
                tokens = Arrays.copyOf(tokens, cap);
                counts = Arrays.copyOf(counts, cap);
            }
            long kept = 0;
            int tok = -1;
            for (int i = 0; i < followers; i++) {
                tok += in.readVarInt(vocab, "token gap") + 1;
                if (tok >= vocab) {
                    throw new VarInts.Malformed("follower token " + tok + " outside the vocabulary");
                }
                tokens[n] = tok;
                int excess = in.readVarInt(Integer.MAX_VALUE - (long) minCount, "count");
                counts[n] = excess + minCount;
                kept += counts[n];
                n++;
            }
            totals[c] = kept + cutMass;
            if (totals[c] < kept) {
                throw new VarInts.Malformed("context total overflows");
            }
        }
        offsets[contexts] = n;
        return new LevelCounts(keys, totals, offsets, Arrays.copyOf(tokens, n),
                Arrays.copyOf(counts, n));
    }
}

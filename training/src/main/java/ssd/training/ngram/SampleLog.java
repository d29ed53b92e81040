package ssd.training.ngram;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The sequences an n-gram fit has sampled so far, one fixed-size record per batch, so `ssd ngram fit --resume`
 * recounts them instead of sampling again: a first line of JSON naming the settings (a resume with other settings is
 * refused), then per batch its sequences' ids as little-endian uint16 (int32 for vocabularies above 65,536). Each
 * batch is forced to disk as it is appended; a batch cut off by a kill is dropped on resume, and a log whose settings
 * line was cut off (killed as it was created) is started over.
 */
final class SampleLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SUFFIX = ".samples.partial";

    private final Path file;
    private final FileChannel channel;
    private final int batch, length, bytesPerId;
    private final int batches;

    private SampleLog(Path file, FileChannel channel, int batch, int length, int bytesPerId, int batches) {
        this.file = file;
        this.channel = channel;
        this.batch = batch;
        this.length = length;
        this.bytesPerId = bytesPerId;
        this.batches = batches;
    }

    /** The log beside the model file {@code out}. */
    static Path of(Path out) {
        return out.resolveSibling(out.getFileName() + SUFFIX);
    }

    /** A new, empty log for these settings (replacing any earlier one). */
    static SampleLog create(Path file, String settings, int vocab, int batch, int length) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            ch.write(ByteBuffer.wrap((settings + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
            return new SampleLog(file, ch, batch, length, vocab > 65536 ? 4 : 2, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reopens the log of an interrupted fit with the same settings, hands every complete batch's sequences to
     * {@code sink} and drops a torn last batch.
     */
    static SampleLog resume(Path file, String settings, int vocab, int batch, int length, Consumer<int[]> sink) {
        try {
            byte[] head = (settings + "\n").getBytes(StandardCharsets.UTF_8);
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            ByteBuffer found = ByteBuffer.allocate((int) Math.min(head.length, ch.size()));
            while (found.hasRemaining() && ch.read(found) > 0) { }
            if (found.capacity() < head.length && indexOf(found.array(), (byte) '\n') < 0) {
                // Killed while the log was being created: its settings line is torn and no batch was logged yet.
                ch.close();
                return create(file, settings, vocab, batch, length);
            }
            if (!Arrays.equals(found.array(), head)) {
                ch.close();
                throw new IllegalArgumentException("--resume: " + file + " was sampled with other settings (" + firstLine(found.array())
                        + "); rerun without --resume to start over");
            }
            int bytesPerId = vocab > 65536 ? 4 : 2;
            long record = (long) batch * length * bytesPerId;
            int complete = (int) ((ch.size() - head.length) / record);
            ch.truncate(head.length + complete * record);
            ByteBuffer buf = ByteBuffer.allocate((int) record).order(ByteOrder.LITTLE_ENDIAN);
            for (int b = 0; b < complete; b++) {
                buf.clear();
                while (buf.hasRemaining() && ch.read(buf, head.length + b * record + buf.position()) > 0) { }
                buf.flip();
                for (int s = 0; s < batch; s++) {
                    int[] seq = new int[length];
                    for (int i = 0; i < length; i++) seq[i] = bytesPerId == 2 ? Short.toUnsignedInt(buf.getShort()) : buf.getInt();
                    sink.accept(seq);
                }
            }
            ch.position(ch.size());
            return new SampleLog(file, ch, batch, length, bytesPerId, complete);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The settings line: what must be equal for recorded batches to be the ones this fit would sample. */
    static String settings(String draft, int vocab, int batch, int length, double temperature, long seed) {
        ObjectNode n = JSON.createObjectNode();
        n.put("format", "ssd-ngram-samples/1");
        n.put("draft", draft);
        n.put("vocab", vocab);
        n.put("batch", batch);
        n.put("length", length);
        n.put("temperature", temperature);
        n.put("seed", seed);
        return n.toString();
    }

    private static int indexOf(byte[] b, byte value) {
        for (int i = 0; i < b.length; i++) if (b[i] == value) return i;
        return -1;
    }

    private static String firstLine(byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8);
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Batches recorded when the log was opened. */
    int batches() {
        return batches;
    }

    /** Appends one batch (its {@code batch} sequences of {@code length} ids, in order) and forces it to disk. */
    void append(int[][] sequences) {
        ByteBuffer buf = ByteBuffer.allocate(batch * length * bytesPerId).order(ByteOrder.LITTLE_ENDIAN);
        for (int[] seq : sequences) for (int id : seq) {
            if (bytesPerId == 2) buf.putShort((short) id);
            else buf.putInt(id);
        }
        buf.flip();
        try {
            while (buf.hasRemaining()) channel.write(buf);
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the log once the model it was sampled for is written. */
    void delete() {
        close();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

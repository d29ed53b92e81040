package ssd.decoder.ngram;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static ssd.decoder.ngram.KatzTrigram.NONE;

class KatzTrigramFileTest {
    static final int V = 300;

    @TempDir
    Path dir;

    KatzTrigram model;
    Path file;

    @BeforeEach
    void writeModel() throws IOException {
        model = KatzTrigram.build(Corpora.count(V, Corpora.markov(V, 300, 60, 21)), new KatzConfig(5, 1, 2));
        file = dir.resolve("sub/katz.bin");
        KatzTrigramFile.write(model, file);
    }

    @Test
    void roundTripGivesIdenticalQueries() throws IOException {
        KatzTrigram back = KatzTrigramFile.read(file);
        assertThat(back.vocabSize()).isEqualTo(V);
        assertThat(back.config()).isEqualTo(model.config());
        assertThat(back.totalTokens()).isEqualTo(model.totalTokens());
        assertThat(back.trigramEntries()).isEqualTo(model.trigramEntries()).isPositive();
        assertThat(back.bigramEntries()).isEqualTo(model.bigramEntries());
        KatzCounts a = model.counts();
        KatzCounts b = back.counts();
        assertThat(b.unigramCounts()).isEqualTo(a.unigramCounts());
        assertThat(b.bigramCountOfCounts()).isEqualTo(a.bigramCountOfCounts());
        assertThat(b.trigramCountOfCounts()).isEqualTo(a.trigramCountOfCounts());
        for (LevelCounts[] pair : new LevelCounts[][] {{a.bigrams(), b.bigrams()}, {a.trigrams(), b.trigrams()}}) {
            assertThat(pair[1].contextKeys()).isEqualTo(pair[0].contextKeys());
            assertThat(pair[1].contextTotals()).isEqualTo(pair[0].contextTotals());
            assertThat(pair[1].offsets()).isEqualTo(pair[0].offsets());
            assertThat(pair[1].tokens()).isEqualTo(pair[0].tokens());
            assertThat(pair[1].counts()).isEqualTo(pair[0].counts());
        }
        SplittableRandom rnd = new SplittableRandom(5);
        double[] p1 = new double[V];
        double[] p2 = new double[V];
        long[] keys = a.trigrams().contextKeys();
        for (int i = 0; i < 300; i++) {
            long key = keys[rnd.nextInt(keys.length)];
            int t1 = i % 4 == 0 ? rnd.nextInt(V) : NgramKeys.first(key);
            int t2 = i % 4 == 0 ? rnd.nextInt(V) : NgramKeys.last(key);
            if (i % 10 == 1) {
                t1 = NONE;
            }
            if (i % 30 == 2) {
                t1 = NONE;
                t2 = NONE;
            }
            assertThat(back.topM(t1, t2, 8)).isEqualTo(model.topM(t1, t2, 8));
            model.distribution(t1, t2, p1);
            back.distribution(t1, t2, p2);
            assertThat(p2).isEqualTo(p1);
        }
    }

    @Test
    void writesViaTempFileAndRenameAndOverwrites() throws IOException {
        KatzTrigram other = KatzTrigram.build(Corpora.count(V, Corpora.markov(V, 50, 20, 99)), KatzConfig.DEFAULT);
        KatzTrigramFile.write(other, file);
        try (var files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("katz.bin");
        }
        assertThat(KatzTrigramFile.read(file).totalTokens()).isEqualTo(other.totalTokens());
    }

    @Test
    void fileIsCompact() throws IOException {
        long entries = model.bigramEntries() + model.trigramEntries();
        // Varint gaps and excess counts: about 2-3 bytes per kept n-gram plus one varint per unigram.
        assertThat(Files.size(file)).isLessThan(4 * entries + 3L * V + 200);
    }

    @Test
    void truncatedFile() throws IOException {
        byte[] all = Files.readAllBytes(file);
        for (int len : new int[] {0, 3, 8, 15, 20, 21, all.length / 2, all.length - 4, all.length - 1}) {
            Files.write(file, Arrays.copyOf(all, len));
            assertFails(KatzFileException.Reason.TRUNCATED, "truncated");
        }
    }

    @Test
    void foreignFile() throws IOException {
        Files.writeString(file, "{\"this\": \"is json, not a trigram\"}");
        assertFails(KatzFileException.Reason.BAD_MAGIC, "not a Katz trigram file");
        Files.write(file, new byte[] {'P', 'K'});
        assertFails(KatzFileException.Reason.BAD_MAGIC, "bad magic");
    }

    @Test
    void unsupportedVersion() throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer.wrap(all).putInt(8, 2);
        Files.write(file, all);
        assertFails(KatzFileException.Reason.UNSUPPORTED_VERSION, "unsupported format version 2");
    }

    @Test
    void flippedBytesFailTheChecksum() throws IOException {
        byte[] all = Files.readAllBytes(file);
        SplittableRandom rnd = new SplittableRandom(3);
        int[] positions = {20, 21, all.length / 2, all.length - 5, all.length - 1, 20 + rnd.nextInt(all.length - 24)};
        for (int pos : positions) {
            byte[] bad = all.clone();
            bad[pos] ^= (byte) (1 << rnd.nextInt(8));
            Files.write(file, bad);
            assertFails(KatzFileException.Reason.CHECKSUM_MISMATCH, "checksum mismatch");
        }
    }

    @Test
    void wrongLengthField() throws IOException {
        byte[] all = Files.readAllBytes(file);
        byte[] longer = Arrays.copyOf(all, all.length + 3);
        Files.write(file, longer);
        assertFails(KatzFileException.Reason.TRAILING_BYTES, "unexpected bytes");
        ByteBuffer.wrap(all).putLong(12, Long.MAX_VALUE);
        Files.write(file, all);
        assertFails(KatzFileException.Reason.TRUNCATED, "truncated");
    }

    @Test
    void malformedPayloadWithValidChecksum() throws IOException {
        // A buggy writer: the vocabulary size claims one token more than the unigram table holds. The checksum
        // is recomputed, so only the payload decoder can notice.
        byte[] all = Files.readAllBytes(file);
        assertThat(all[20] & 0xFF).isEqualTo((V & 0x7F) | 0x80);   // varint of V = 300: 0xAC 0x02
        all[20] = (byte) (((V + 1) & 0x7F) | 0x80);
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 4);
        ByteBuffer.wrap(all).putInt(all.length - 4, (int) crc.getValue());
        Files.write(file, all);
        assertFails(KatzFileException.Reason.MALFORMED, "malformed payload");
    }

    private void assertFails(KatzFileException.Reason reason, String text) {
        assertThatThrownBy(() -> KatzTrigramFile.read(file))
                .isInstanceOfSatisfying(KatzFileException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.file()).isEqualTo(file);
                })
                .hasMessageContaining(file.toString())
                .hasMessageContaining(text)
                .hasMessageNotContaining("\n");
    }
}

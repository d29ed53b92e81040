package ssd.decoder.ngram;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import ssd.testing.fuzz.ByteMutation;
import ssd.testing.fuzz.ParseOracle;
import ssd.testing.fuzz.Scratch;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Fuzzes {@link KatzTrigramFile#read}: 10,000 mutated and truncated trigram files. Most edits are followed by a
 * fresh length and CRC, so they reach the payload decoder and the estimator instead of stopping at the checksum.
 * Every case reads (and then answers queries) or ends in a {@link KatzFileException} naming the file.
 */
class KatzFileFuzzTest {
    static final ParseOracle KATZ = new ParseOracle("Katz trigram file", KatzFileException.class);
    static Scratch scratch;
    static byte[] small, cutOff;

    @BeforeContainer
    static void writeSeeds() throws Exception {
        scratch = new Scratch("katz-fuzz");
        Path a = scratch.root().resolve("a.katz"), b = scratch.root().resolve("b.katz");
        KatzTrigramFile.write(KatzTrigram.build(Corpora.count(40, Corpora.markov(40, 30, 20, 3)), new KatzConfig(5, 1, 1)), a);
        KatzTrigramFile.write(KatzTrigram.build(Corpora.count(12, Corpora.toy()), new KatzConfig(2, 2, 3)), b);
        small = Scratch.read(a);
        cutOff = Scratch.read(b);
    }

    @AfterContainer
    static void report() {
        System.out.println(KATZ.summary());
        scratch.close();
    }

    /** Payload edits under a valid envelope: the decoder and the estimator see them. */
    @Property(tries = 6000, shrinking = ShrinkingMode.BOUNDED)
    void mutatedPayloadWithFreshChecksum(@ForAll("edits") List<ByteMutation> edits, @ForAll boolean second) {
        byte[] seed = second ? cutOff : small;
        byte[] payload = Arrays.copyOfRange(seed, KatzTrigramFile.HEADER_BYTES, seed.length - KatzTrigramFile.TRAILER_BYTES);
        read(envelope(ByteMutation.applyAll(payload, edits)), edits);
    }

    /** Edits anywhere, envelope untouched: magic, version, length and checksum must catch them. */
    @Property(tries = 3000, shrinking = ShrinkingMode.BOUNDED)
    void mutatedFile(@ForAll("edits") List<ByteMutation> edits) {
        read(ByteMutation.applyAll(small, edits), edits);
    }

    @Property(tries = 1000)
    void truncated(@ForAll @IntRange(min = 0, max = 100_000) int keep) {
        byte[] cut = Arrays.copyOf(small, keep % (small.length + 1));
        read(cut, "truncated to " + cut.length + " bytes");
    }

    @Provide
    Arbitrary<List<ByteMutation>> edits() {
        return ByteMutation.lists();
    }

    static void read(byte[] bytes, Object input) {
        Path file = scratch.root().resolve("case.katz");
        Scratch.write(file, bytes);
        KATZ.check(file.toString(), input, () -> {
            KatzTrigram m = KatzTrigramFile.read(file);
            // A model that reads must also answer: every context kind, and a full distribution.
            int v = m.vocabSize();
            double[] p = new double[v];
            m.distribution(KatzTrigram.NONE, KatzTrigram.NONE, p);
            for (int t = 0; t < Math.min(v, 8); t++) {
                m.topM(t, v - 1 - t, 4);
                m.topM(KatzTrigram.NONE, t, 4);
                m.prob(t, t, v - 1);
            }
            return m;
        });
    }

    /** A file around {@code payload} with a correct header length and CRC-32. */
    static byte[] envelope(byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(KatzTrigramFile.HEADER_BYTES + payload.length + KatzTrigramFile.TRAILER_BYTES);
        b.put(KatzTrigramFile.MAGIC).putInt(KatzTrigramFile.VERSION).putLong(payload.length).put(payload);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.array();
    }
}

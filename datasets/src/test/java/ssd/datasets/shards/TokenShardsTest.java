package ssd.datasets.shards;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ssd.datasets.corpus.CorpusBuildRequest;
import ssd.datasets.corpus.CorpusBuilder;
import ssd.datasets.testing.PySamples;
import ssd.decoder.tokenizer.Gpt2Tokenizer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenShardsTest {
    @TempDir
    Path dir;
    Path out;

    @BeforeEach
    void buildSmallCorpus() {
        for (int i = 0; i < 12; i++) PySamples.write(dir.resolve("src/m" + i + ".py"), PySamples.module(50 + i, 6));
        out = dir.resolve("out");
        new CorpusBuilder(CorpusBuildRequest.of(List.of(dir.resolve("src")), out).withValPercent(0)
                .withShardSourceBytes(5_000).withProgress(false), s -> { }).build();
    }

    @Test
    void randomWindowsAndSequentialWindowsReadTheSameStream() {
        TokenSplit train = TokenShards.open(out).split(TokenShards.TRAIN);
        assertThat(train.tokens()).isGreaterThan(5_000);
        int[] all = new int[(int) train.tokens()];
        int pos = 0;
        for (Iterator<int[]> it = train.windows(1000); it.hasNext(); ) {
            int[] w = it.next();
            System.arraycopy(w, 0, all, pos, w.length);
            pos += w.length;
        }
        assertThat(pos).isEqualTo(all.length);
        assertThat(all[all.length - 1]).isEqualTo(Gpt2Tokenizer.END_OF_TEXT);
        assertThat(java.util.Arrays.stream(all).allMatch(t -> t >= 0 && t < Gpt2Tokenizer.VOCAB_SIZE)).isTrue();

        // Documents plus their separators are the whole stream, whatever the read block size.
        for (int blockSize : new int[]{7, 1 << 16}) {
            int at = 0;
            for (Iterator<int[]> docs = train.documents(blockSize); docs.hasNext(); ) {
                int[] doc = docs.next();
                for (int t : doc) assertThat(t).isEqualTo(all[at++]);
                assertThat(all[at++]).isEqualTo(Gpt2Tokenizer.END_OF_TEXT);
            }
            assertThat(at).isEqualTo(all.length);
        }

        SplittableRandom rng = new SplittableRandom(1);
        int[] window = new int[777]; // longer than one shard's remainder often: crosses boundaries
        for (int i = 0; i < 200; i++) {
            long start = train.randomWindow(rng, window.length, window);
            assertThat(start).isBetween(0L, train.tokens() - window.length);
            for (int k = 0; k < window.length; k++) assertThat(window[k]).isEqualTo(all[(int) start + k]);
        }
        assertThat(train.get(train.tokens() - 1)).isEqualTo(Gpt2Tokenizer.END_OF_TEXT);
        assertThatThrownBy(() -> train.randomWindow(rng, (int) train.tokens() + 1, new int[(int) train.tokens() + 1]))
                .hasMessageContaining("fewer than a window");
    }

    @Test
    void corruptShardIsReportedByName() throws IOException {
        Manifest m = Manifest.read(out.resolve(Manifest.FILE));
        String victim = m.splits().get(TokenShards.TRAIN).shards().get(1).file();
        try (FileChannel ch = FileChannel.open(out.resolve(victim), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[]{0x12, 0x34}), 10);
        }
        assertThatThrownBy(() -> TokenShards.open(out)).isInstanceOf(CorruptShardException.class)
                .hasMessageContaining(victim).hasMessageContaining("sha256")
                .satisfies(e -> assertThat(((CorruptShardException) e).shard()).isEqualTo(victim));
    }

    @Test
    void missingShardOrManifestIsReportedClearly() throws IOException {
        Manifest m = Manifest.read(out.resolve(Manifest.FILE));
        String victim = m.splits().get(TokenShards.TRAIN).shards().get(0).file();
        Files.delete(out.resolve(victim));
        assertThatThrownBy(() -> TokenShards.open(out)).isInstanceOf(CorruptShardException.class)
                .hasMessageContaining(victim).hasMessageContaining("missing");
        Files.delete(out.resolve(Manifest.FILE));
        assertThatThrownBy(() -> TokenShards.open(out)).hasMessageContaining(Manifest.FILE).hasMessageContaining("ssd corpus build");
    }

    @Test
    void emptySplitOpensWithZeroTokens() {
        TokenShards shards = TokenShards.open(out);
        assertThat(shards.split(TokenShards.VAL).tokens()).isZero();
        assertThat(shards.split(TokenShards.VAL).windows(10).hasNext()).isFalse();
        assertThatThrownBy(() -> shards.split("test")).hasMessageContaining("no split \"test\"");
    }

    /** Fuzz regressions: a manifest that is JSON null, a null shard entry, a shard path leaving the folder. */
    @Test
    void malformedShardListsAreRefusedNamingTheManifest() throws Exception {
        Path manifest = out.resolve(Manifest.FILE);
        String good = java.nio.file.Files.readString(manifest);
        java.nio.file.Files.writeString(manifest, "null");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TokenShards.open(out)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(manifest.toString()).hasMessageContaining("empty");
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        var m = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(good);
        ((com.fasterxml.jackson.databind.node.ArrayNode) m.get("splits").get("train").get("shards")).set(0, json.nullNode());
        java.nio.file.Files.writeString(manifest, m.toString());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TokenShards.open(out)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(manifest.toString()).hasMessageContaining("shard 0 is null");
        m = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(good);
        ((com.fasterxml.jackson.databind.node.ObjectNode) m.get("splits").get("train").get("shards").get(0)).put("file", "../out/train-00000.bin");
        java.nio.file.Files.writeString(manifest, m.toString());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TokenShards.open(out)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a plain file name inside the corpus folder");
    }
}

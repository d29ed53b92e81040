package ssd.datasets.corpus;

import ssd.datasets.tokenize.FastGpt2Encoder;
import ssd.datasets.tokenize.TokenBuffer;
import ssd.decoder.tokenizer.Gpt2Tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.stream.IntStream;

/** Second pass: reads a shard's files again and tokenizes them in parallel, each followed by {@code <|endoftext|>}. */
final class ShardTokenizer {
    private ShardTokenizer() {
    }

    /** @param progress told the source bytes of each file as it is done */
    static List<TokenBuffer> tokenize(PlannedShard shard, FastGpt2Encoder encoder, LongConsumer progress) {
        List<KeptFile> files = shard.files();
        return IntStream.range(0, files.size()).parallel()
                .mapToObj(i -> {
                    TokenBuffer tokens = tokenize(files.get(i), encoder);
                    progress.accept(files.get(i).bytes());
                    return tokens;
                })
                .toList();
    }

    static TokenBuffer tokenize(KeptFile file, FastGpt2Encoder encoder) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file.source().path());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.source().path() + " again: " + e.getMessage(), e);
        }
        if (!Digest.sha256(bytes).equals(file.digest())) {
            throw new IllegalStateException(file.source().path() + " changed while the corpus was being built; run the build again");
        }
        String text = new String(bytes, StandardCharsets.UTF_8); // valid UTF-8: checked in the first pass
        TokenBuffer out = new TokenBuffer(bytes.length / 2 + 16);
        encoder.encode(text, out);
        out.add(Gpt2Tokenizer.END_OF_TEXT);
        return out;
    }
}

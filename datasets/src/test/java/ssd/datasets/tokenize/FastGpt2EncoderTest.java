package ssd.datasets.tokenize;

import org.junit.jupiter.api.Test;
import ssd.datasets.testing.PySamples;
import ssd.decoder.tokenizer.Gpt2Tokenizer;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class FastGpt2EncoderTest {
    private static final Gpt2Tokenizer GPT2 = Gpt2Tokenizer.get();

    @Test
    void matchesJtokkitOnTrickyText() {
        FastGpt2Encoder enc = new FastGpt2Encoder();
        String[] cases = {"", " ", "  ", "\n", "\n\n    x", "a  b", "a \n b", "don't", "DON'T", "it's 're 've 'll 'd 'm 't",
                " 's", "'s'", "x'sy", "\t\tif x:\n\t\t\treturn 1  \n", "trailing   ", "  leading", "1234567 89",
                "٣٤٥ Ⅻ ½", "naïve café", "日本語のテキスト", "emoji 😀😀 x", "a\u00a0b\u2003c\u0085d\u2028e", "\u000b\f\r\n",
                "<|endoftext|>", "x = [1, 2, 3]  # comment\n", "''' doc '''", "\"\"\"\n    Doc.\n    \"\"\"\n",
                "\ud800 lone surrogate", "a\udc00b", "\ud83d", "!!!???...", " !!x", "    \n    \n", "__init__(self)"};
        for (String c : cases) {
            assertThat(enc.encode(c)).as("ids of %s", c).containsExactly(GPT2.encode(c));
        }
    }

    @Test
    void matchesJtokkitOnRandomUnicode() {
        FastGpt2Encoder enc = new FastGpt2Encoder();
        SplittableRandom r = new SplittableRandom(7);
        // Draw from a pool that mixes every class the split regex distinguishes.
        int[] pool = {'a', 'Z', 'é', 'ß', 'Ж', '日', 'ー', '0', '9', '٣', 'Ⅻ', '½', ' ', ' ', '\t', '\n', '\r', 0x0b,
                0x85, 0xa0, 0x2003, 0x2028, '\'', 's', 't', 'l', 'v', 'e', 'r', 'd', 'm', '.', '(', '_', '#', '"',
                0x1F600, 0x1D400, 0x0301, 0xD800, 0xDC00};
        for (int i = 0; i < 2000; i++) {
            String s = IntStream.range(0, 1 + r.nextInt(40)).map(k -> pool[r.nextInt(pool.length)])
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
            assertThat(enc.encode(s)).as("ids of %s", s).containsExactly(GPT2.encode(s));
        }
    }

    @Test
    void sameIdsWhenTheCacheIsWarmFullOrShared() {
        FastGpt2Encoder tiny = new FastGpt2Encoder(4); // 16 slots: fills at once, later pieces bypass the cache
        FastGpt2Encoder shared = new FastGpt2Encoder();
        String text = PySamples.module(3, 40);
        int[] expected = GPT2.encode(text);
        assertThat(tiny.encode(text)).containsExactly(expected);
        assertThat(tiny.encode(text)).containsExactly(expected);
        IntStream.range(0, 8).parallel().forEach(i -> assertThat(shared.encode(text)).containsExactly(expected));
    }
}

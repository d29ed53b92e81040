package ssd.decoder.tokenizer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Gpt2TokenizerTest {
    final Gpt2Tokenizer tok = Gpt2Tokenizer.get();

    @Test
    void roundTripsPythonSourceWithTabsUnicodeAndLongWhitespace() {
        String src = "def f(x):\n\t\"\"\"Returns x · π — ünïcödé 😀\"\"\"\n" + " ".repeat(37) + "return x\t\t\n\n\n" + "\t".repeat(9) + "pass\r\n";
        int[] ids = tok.encode(src);
        assertThat(tok.decode(ids)).isEqualTo(src);
        for (int id : ids) assertThat(id).isBetween(0, Gpt2Tokenizer.VOCAB_SIZE - 1);
    }

    @Test
    void matchesKnownGpt2Ids() {
        // "Hello world" is [15496, 995] in GPT-2's vocabulary.
        assertThat(tok.encode("Hello world")).containsExactly(15496, 995);
        assertThat(tok.decode(new int[]{Gpt2Tokenizer.END_OF_TEXT})).isEqualTo("<|endoftext|>");
    }

    @Test
    void refusesIdsOutsideTheVocabulary() {
        assertThatThrownBy(() -> tok.decode(new int[]{50257})).hasMessageContaining("50257");
    }
}

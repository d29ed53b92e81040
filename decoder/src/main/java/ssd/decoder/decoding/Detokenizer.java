package ssd.decoder.decoding;

import ssd.decoder.tokenizer.Gpt2Tokenizer;

/** Turns ids into text, for stop strings and the output text. GPT-2's BPE for real models; tests use toy vocabularies. */
@FunctionalInterface
public interface Detokenizer {
    String decode(int[] tokens);

    static Detokenizer gpt2() {
        return Gpt2Tokenizer.get()::decode;
    }

    /** GPT-2's tokenizer for a GPT-2 vocabulary; otherwise one character per id (toy models). */
    static Detokenizer forVocab(int vocabSize) {
        if (vocabSize == Gpt2Tokenizer.VOCAB_SIZE) return gpt2();
        return tokens -> {
            StringBuilder sb = new StringBuilder();
            for (int t : tokens) sb.append((char) ('!' + t));
            return sb.toString();
        };
    }
}

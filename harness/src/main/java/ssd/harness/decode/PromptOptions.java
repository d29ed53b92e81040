package ssd.harness.decode;

import picocli.CommandLine.Option;
import ssd.decoder.tokenizer.Gpt2Tokenizer;

import java.util.Arrays;

/** Exactly one of --prompt TEXT (GPT-2 tokenized) or --prompt-tokens 1,2,3. */
public final class PromptOptions {
    @Option(names = "--prompt", description = "prompt text (tokenized with GPT-2's BPE)")
    String text;

    @Option(names = "--prompt-tokens", split = ",", description = "prompt as comma-separated token ids")
    int[] tokens;

    public int[] tokens() {
        if ((text == null) == (tokens == null)) throw new IllegalArgumentException("give exactly one of --prompt TEXT or --prompt-tokens 1,2,3");
        return text != null ? Gpt2Tokenizer.get().encode(text) : Arrays.copyOf(tokens, tokens.length);
    }
}

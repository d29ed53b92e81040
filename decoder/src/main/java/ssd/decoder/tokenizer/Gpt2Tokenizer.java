package ssd.decoder.tokenizer;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;

/**
 * The GPT-2 byte-level BPE (tiktoken's {@code r50k_base}, identical to Hugging Face's GPT-2 vocabulary).
 * Thread-safe: jtokkit encodings are immutable.
 */
public final class Gpt2Tokenizer {
    public static final String NAME = "r50k_base";
    public static final int VOCAB_SIZE = 50257;
    public static final int END_OF_TEXT = 50256;
    public static final String END_OF_TEXT_STRING = "<|endoftext|>";

    private static final Gpt2Tokenizer INSTANCE = new Gpt2Tokenizer();

    private final Encoding encoding;

    private Gpt2Tokenizer() {
        this.encoding = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.R50K_BASE);
    }

    public static Gpt2Tokenizer get() {
        return INSTANCE;
    }

    /** Encodes text; the literal string {@code <|endoftext|>} is treated as text, not as the special token. */
    public int[] encode(String text) {
        return encoding.encodeOrdinary(text).toArray();
    }

    /** Decodes ids to text; {@code <|endoftext|>} is spelled out where it occurs. */
    public String decode(int[] tokens) {
        IntArrayList list = new IntArrayList(tokens.length);
        for (int t : tokens) {
            checkId(t);
            list.add(t);
        }
        return encoding.decode(list);
    }

    public static void checkId(int token) {
        if (token < 0 || token >= VOCAB_SIZE) {
            throw new IllegalArgumentException("token id " + token + " is outside the GPT-2 vocabulary [0, " + VOCAB_SIZE + ")");
        }
    }

    /** The bytes of one token (a token can be part of a UTF-8 character). */
    public byte[] tokenBytes(int token) {
        checkId(token);
        IntArrayList list = new IntArrayList(1);
        list.add(token);
        return encoding.decodeBytes(list);
    }
}

package ssd.figures;

import ssd.tables.DecodeRun;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Splits a run's completion into per-token strings from each token's bytes (supplied by the caller's tokenizer, so this
 * module needs none). A character whose UTF-8 bytes span tokens goes to the token that completes it.
 */
public final class TokenPieces {
    private TokenPieces() {
    }

    public static List<TokenPiece> of(DecodeRun run, IntFunction<byte[]> tokenBytes) {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        ByteBuffer pending = ByteBuffer.allocate(0);
        List<TokenPiece> pieces = new ArrayList<>();
        int[] tokens = run.tokens();
        for (int i = 0; i < tokens.length; i++) {
            byte[] b = tokenBytes.apply(tokens[i]);
            ByteBuffer in = ByteBuffer.allocate(pending.remaining() + b.length).put(pending).put(b).flip();
            CharBuffer out = CharBuffer.allocate(in.remaining() * 2 + 2);
            boolean last = i == tokens.length - 1;
            utf8.decode(in, out, last);
            if (last) utf8.flush(out);
            pending = in; // undecoded tail: an incomplete character
            pieces.add(new TokenPiece(out.flip().toString(), run.origins().get(i)));
        }
        return pieces;
    }

    public static String text(List<TokenPiece> pieces) {
        StringBuilder sb = new StringBuilder();
        for (TokenPiece p : pieces) sb.append(p.text());
        return sb.toString();
    }
}

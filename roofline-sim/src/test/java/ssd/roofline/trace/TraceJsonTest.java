package ssd.roofline.trace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ssd.common.Dtype;
import ssd.roofline.ModelShapes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TraceJsonTest {
    static DecodingTrace staged() {
        return new DecodingTrace(Method.STAGED, ModelShapes.preset("gpt2-large"), ModelShapes.resolve("4x512"), Dtype.FP16, 6,
                List.of(new OracleCall(0, 10, 1), new OracleCall(10, 9, 3), new OracleCall(13, 9, 2)),
                List.of(new DraftCall(10, 1), new DraftCall(11, 3), new DraftCall(13, 1)), 42);
    }

    @Test
    void roundTripsOneTraceAndArrays(@TempDir Path dir) {
        Path one = dir.resolve("one.json");
        TraceJson.write(one, List.of(staged()));
        assertThat(TraceJson.read(one)).containsExactly(staged());

        DecodingTrace base = staged().baselineEquivalent();
        Path many = dir.resolve("many.json");
        TraceJson.write(many, List.of(staged(), base));
        assertThat(TraceJson.read(many)).containsExactly(staged(), base);
    }

    @Test
    void readsTheDocumentedFormatAndIgnoresExtraFields(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.json");
        Files.writeString(f, """
                {"method": "baseline", "prompt_id": "HumanEval/0",
                 "oracle": {"n_layer": 2, "n_embd": 64, "n_head": 4, "vocab_size": 100, "n_positions": 128},
                 "draft": null, "dtype": "fp32", "generated_tokens": 2,
                 "oracle_calls": [{"prefix_len": 0, "new_tokens": 5, "accepted": 1}, {"prefix_len": 5, "new_tokens": 1, "accepted": 1}],
                 "draft_calls": [], "ngram_queries": 0}
                """);
        DecodingTrace t = TraceJson.read(f).get(0);
        assertThat(t.method()).isEqualTo(Method.BASELINE);
        assertThat(t.draft()).isNull();
        assertThat(t.oracleTokens()).isEqualTo(6);
    }

    @Test
    void baselineEquivalentDecodesTheSamePromptOneTokenAtATime() {
        DecodingTrace b = staged().baselineEquivalent();
        assertThat(b.method()).isEqualTo(Method.BASELINE);
        assertThat(b.generatedTokens()).isEqualTo(6);
        assertThat(b.oracleCalls()).containsExactly(new OracleCall(0, 10, 1), new OracleCall(10, 1, 1), new OracleCall(11, 1, 1),
                new OracleCall(12, 1, 1), new OracleCall(13, 1, 1), new OracleCall(14, 1, 1));
    }

    private static String valid() {
        return TraceJsonTestSupport.json(staged());
    }

    @Test
    void malformedTracesGiveOneLineErrorsNamingFileAndField(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, valid().replace("\"accepted\" : 3", "\"accepted\" : 30"));
        assertThatThrownBy(() -> TraceJson.read(f)).hasMessage(f + ": oracle_calls[1]: accepted must be between 1 and new_tokens (9), got 30");

        Files.writeString(f, valid().replace("\"generated_tokens\" : 6", "\"generated_tokens\" : 7"));
        assertThatThrownBy(() -> TraceJson.read(f)).hasMessage(f + ": the oracle calls' accepted counts add up to 6 but generated_tokens is 7");

        Files.writeString(f, valid().replace("\"method\" : \"staged\"", "\"method\" : \"greedy\""));
        assertThatThrownBy(() -> TraceJson.read(f)).hasMessage(f + ": unknown method 'greedy': expected baseline, speculative or staged");

        Files.writeString(f, valid().replace("\"ngram_queries\" : 42", "\"ngram_queries\" : \"many\""));
        assertThatThrownBy(() -> TraceJson.read(f)).hasMessage(f + ": field 'ngram_queries' must be an integer, got \"many\"");

        Files.writeString(f, valid().replace("\"n_head\" : 20,", ""));
        assertThatThrownBy(() -> TraceJson.read(f)).hasMessage(f + ": oracle: missing required field 'n_head'");

        Files.writeString(f, valid().replace("\"draft\" : {", "\"draft_model\" : {"));
        assertThatThrownBy(() -> TraceJson.read(f)).hasMessage(f + ": missing required field 'draft' (use null for none)");

        Files.writeString(f, valid().substring(0, 50));
        assertThatThrownBy(() -> TraceJson.read(f)).hasMessageStartingWith(f + ": not valid JSON");

        Files.writeString(f, "[]");
        assertThatThrownBy(() -> TraceJson.read(f)).hasMessage(f + ": empty array, expected at least one trace");
    }

    @Test
    void baselineTracesMustBeOneTokenSteps() {
        assertThatThrownBy(() -> new DecodingTrace(Method.BASELINE, ModelShapes.preset("gpt2"), null, Dtype.FP16, 2,
                List.of(new OracleCall(0, 4, 1), new OracleCall(4, 2, 1)), List.of(), 0))
                .hasMessage("baseline oracle_calls[1] has new_tokens 2; baseline steps take one token");
        assertThatThrownBy(() -> new DecodingTrace(Method.SPECULATIVE, ModelShapes.preset("gpt2"), null, Dtype.FP16, 1,
                List.of(new OracleCall(0, 4, 1)), List.of(new DraftCall(0, 1)), 0))
                .hasMessage("draft_calls given but draft is null");
    }
}

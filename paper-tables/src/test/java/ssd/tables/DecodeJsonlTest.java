package ssd.tables;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The one reader of bench-decode JSONL: every field the tables and figures use, and one-line errors naming file and line. */
class DecodeJsonlTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A record as bench-decode writes it (cut to three tokens), including fields the reader ignores. */
    private static final String RECORD = """
            {"task_id":"builtin/0","method":"staged","device":"AMD EPYC (2 cores)","dtype":"fp32",\
            "sampling":{"temperature":1.0,"top_k":50,"seed":1},"prompt_token_count":45,"tokens":[220,50256,7],\
            "origins":["NGRAM","DRAFT","ORACLE"],"text":"  é\\n","stop_reason":"max_tokens","ms_per_token":8.5,\
            "tokens_per_second":117.06,"stats":{"oracle_forwards":95,"draft_forwards":3,"ngram_queries":0,\
            "mean_accepted_per_oracle_call":1.25,"bytes_read":7435013120,"oracle_bytes_read":7435000000,"draft_bytes_read":13120,\
            "accepted_histogram":{"0":95},"ms":{"total":820.1}},"seconds":0.820079685}""";

    @TempDir
    Path dir;

    private static String edited(Consumer<ObjectNode> edit) throws Exception {
        ObjectNode r = (ObjectNode) JSON.readTree(RECORD);
        edit.accept(r);
        return JSON.writeValueAsString(r);
    }

    @Test
    void readsEveryFieldTheTablesAndFiguresUse() throws Exception {
        Path f = dir.resolve("runs.jsonl");
        Files.writeString(f, RECORD + "\n\n" + edited(r -> r.put("method", "baseline").put("task_id", "builtin/1")) + "\n");
        List<DecodeRun> runs = DecodeJsonl.read(f);
        assertThat(runs).extracting(DecodeRun::taskId).containsExactly("builtin/0", "builtin/1"); // file order, blank line skipped
        DecodeRun r = runs.get(0);
        assertThat(r.method()).isEqualTo("staged");
        assertThat(r.device()).isEqualTo("AMD EPYC (2 cores)");
        assertThat(r.dtype()).isEqualTo("fp32");
        assertThat(r.sampling()).isEqualTo(new Sampling(1.0, 50));
        assertThat(r.sampling().greedy()).isFalse();
        assertThat(r.tokens()).containsExactly(220, 50256, 7);
        assertThat(r.tokenCount()).isEqualTo(3);
        assertThat(r.origins()).containsExactly(Origin.NGRAM, Origin.DRAFT, Origin.ORACLE);
        assertThat(r.count(Origin.DRAFT)).isEqualTo(1);
        assertThat(r.text()).isEqualTo("  é\n");
        assertThat(r.seconds()).isEqualTo(0.820079685);
        assertThat(r.tokensPerSecond()).isEqualTo(117.06); // as recorded, not tokens / seconds
        assertThat(r.stats()).isEqualTo(new RunStats(95, 1.25, 7_435_013_120L, 7_435_000_000L, 13_120));
        assertThat(runs.get(1).method()).isEqualTo("baseline");
    }

    @Test
    void readsTheOptionalGreedyDivergenceAndTrace() throws Exception {
        String trace = "{\"method\":\"staged\",\"oracle\":{\"n_layer\":2,\"n_embd\":64,\"n_head\":2,\"vocab_size\":100,\"n_positions\":64},"
                + "\"draft\":{\"n_layer\":1,\"n_embd\":32,\"n_head\":1,\"vocab_size\":100,\"n_positions\":64},\"dtype\":\"fp32\","
                + "\"generated_tokens\":3,\"oracle_calls\":[{\"prefix_len\":0,\"new_tokens\":5,\"accepted\":1},{\"prefix_len\":5,\"new_tokens\":4,\"accepted\":2}],"
                + "\"draft_calls\":[{\"prefix_len\":5,\"new_tokens\":1}],\"ngram_queries\":7}";
        Path f = dir.resolve("runs.jsonl");
        Files.write(f, List.of(RECORD, edited(r -> {
            r.set("greedy_divergence", json("{\"position\":2,\"baseline_token\":3,\"token\":4,\"logit_gap\":0.01,\"tie\":true,\"verdict\":\"tie\"}"));
            r.set("trace", json(trace));
        })));
        List<DecodeRun> runs = DecodeJsonl.read(f);
        assertThat(runs.get(0).greedyDivergence()).isNull();
        assertThat(runs.get(0).trace()).isNull();
        assertThat(runs.get(1).greedyDivergence()).isEqualTo(new Divergence(2, Divergence.Verdict.TIE));
        assertThat(runs.get(1).trace().generatedTokens()).isEqualTo(3);
        assertThat(runs.get(1).trace().ngramQueries()).isEqualTo(7);

        Files.write(f, List.of(RECORD, edited(r -> r.set("greedy_divergence", json("{\"position\":2,\"verdict\":\"close\"}")))));
        assertThatThrownBy(() -> DecodeJsonl.read(f))
                .hasMessage(f + ":2: unknown greedy_divergence.verdict 'close' (expected tie, reference_prefers_method or mismatch)");
        Files.write(f, List.of(RECORD, edited(r -> r.set("trace", json(trace.replace("\"generated_tokens\":3", "\"generated_tokens\":4"))))));
        assertThatThrownBy(() -> DecodeJsonl.read(f))
                .hasMessage(f + ":2: trace: the oracle calls' accepted counts add up to 3 but generated_tokens is 4");
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void readsGzippedResults() throws Exception {
        Path f = dir.resolve("runs.jsonl.gz");
        try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(f))) {
            out.write((RECORD + "\n" + RECORD + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(DecodeJsonl.read(f)).hasSize(2).allSatisfy(r -> assertThat(r.tokens()).containsExactly(220, 50256, 7));
    }

    @Test
    void aMalformedLineIsNamedByFileAndLineWithWhatWasExpected() throws Exception {
        Map<String, String> cases = Map.ofEntries(
                Map.entry(edited(r -> ((ObjectNode) r.get("stats")).remove("bytes_read")), "missing field stats.bytes_read"),
                Map.entry(edited(r -> r.remove("text")), "missing field text"),
                Map.entry(edited(r -> r.remove("tokens_per_second")), "missing field tokens_per_second"),
                Map.entry(edited(r -> r.putNull("device")), "missing field device"),
                Map.entry(edited(r -> r.put("dtype", 16)), "field dtype must be a string, got 16"),
                Map.entry(edited(r -> r.put("seconds", "1")), "field seconds must be a number, got \"1\""),
                Map.entry(edited(r -> ((ObjectNode) r.get("sampling")).put("top_k", 1.5)), "field sampling.top_k must be an integer, got 1.5"),
                Map.entry(edited(r -> r.put("tokens", "220")), "field tokens must be a list"),
                Map.entry(edited(r -> ((ArrayNode) r.get("tokens")).set(1, TextNode.valueOf("x"))), "field tokens must be a list of token ids, got \"x\""),
                Map.entry(edited(r -> ((ArrayNode) r.get("origins")).remove(2)), "3 tokens but 2 origins"),
                Map.entry(edited(r -> ((ArrayNode) r.get("origins")).set(0, TextNode.valueOf("HUMAN"))), "unknown origin \"HUMAN\" (expected NGRAM, DRAFT or ORACLE)"),
                Map.entry(edited(r -> r.put("seconds", 0)), "seconds must be positive, got 0.0"),
                Map.entry(edited(r -> r.put("tokens_per_second", -1)), "tokens_per_second must be positive, got -1.0"),
                Map.entry("[1, 2]", "expected a JSON object"));
        Path f = dir.resolve("bad.jsonl");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Files.write(f, List.of(RECORD, "", c.getKey()));
            assertThatThrownBy(() -> DecodeJsonl.read(f)).as(c.getValue())
                    .isInstanceOf(IllegalArgumentException.class).hasMessage(f + ":3: " + c.getValue());
        }
        Files.write(f, List.of(RECORD, "{\"task_id\": "));
        Throwable notJson = catchThrowable(() -> DecodeJsonl.read(f));
        assertThat(notJson).hasMessageStartingWith(f + ":2: not valid JSON (");
        assertThat(notJson.getMessage()).doesNotContain("\n");
    }

    @Test
    void readsPeerRecords() throws Exception {
        Path f = dir.resolve("peers.jsonl");
        String counted = PeerComparisonTest.peer("t/0", "hf-assisted", 3, 0.5,
                "{\"oracle_forwards\":2,\"mean_accepted_per_oracle_call\":0.5,\"draft_forwards\":4}");
        Files.write(f, List.of(counted, PeerComparisonTest.peer("t/1", "hf-generate", 2, 1.0, null)));
        List<DecodeRun> runs = DecodeJsonl.read(f);
        DecodeRun assisted = runs.get(0), generate = runs.get(1);
        assertThat(assisted.isPeer()).isTrue();
        assertThat(assisted.method()).isEqualTo("hf-assisted");
        assertThat(assisted.device()).isEqualTo("Test CPU");
        assertThat(assisted.sampling().greedy()).isTrue();
        assertThat(assisted.tokens()).containsExactly(7, 7, 7);
        assertThat(assisted.origins()).isEmpty();
        assertThat(assisted.text()).isNull();
        assertThat(assisted.stats()).isNull();
        assertThat(assisted.seconds()).isEqualTo(0.5);
        assertThat(assisted.peer()).isEqualTo(new Peer("transformers 5.17.0", 2, 0.5));
        assertThat(generate.peer().countedForwards()).isFalse();
        assertThat(generate.peer().oracleForwards()).isEqualTo(-1);

        Files.write(f, List.of(counted.replace("\"tokens\":", "\"origins\":[\"ORACLE\"],\"tokens\":")));
        assertThatThrownBy(() -> DecodeJsonl.read(f)).hasMessage(f + ":1: a peer record has no origins (its tokens' models are not known)");
        Files.write(f, List.of(counted.replace("\"implementation\":\"transformers\",", "")));
        assertThatThrownBy(() -> DecodeJsonl.read(f)).hasMessage(f + ":1: missing field peer.implementation");
        Files.write(f, List.of(counted.replace("\"oracle_forwards\":2,", "")));
        assertThatThrownBy(() -> DecodeJsonl.read(f)).hasMessage(f + ":1: missing field stats.oracle_forwards");
    }

    @Test
    void aMissingOrEmptyFileIsRefused() throws Exception {
        assertThatThrownBy(() -> DecodeJsonl.read(dir.resolve("absent.jsonl"))).hasMessage(dir.resolve("absent.jsonl") + ": no such file");
        Path blank = Files.writeString(dir.resolve("blank.jsonl"), "\n  \n");
        assertThatThrownBy(() -> DecodeJsonl.read(blank)).hasMessage(blank + ": no records, expected bench-decode JSONL");
    }
}

package ssd.harness.decode;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ssd.decoder.decoding.DecodeStats;
import ssd.decoder.decoding.Generation;

/** The JSON form of a generation that `ssd generate --json` prints and results files embed. */
public final class GenerationJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GenerationJson() {
    }

    public static ObjectNode of(Generation g) {
        ObjectNode o = JSON.createObjectNode();
        o.set("prompt_tokens", JSON.valueToTree(g.promptTokens()));
        o.set("tokens", JSON.valueToTree(g.tokens()));
        o.set("origins", JSON.valueToTree(g.origins().stream().map(Enum::name).toList()));
        o.put("text", g.text());
        o.put("stop_reason", g.stopReason().name().toLowerCase());
        o.put("ms_per_token", g.msPerToken());
        o.put("tokens_per_second", g.tokensPerSecond());
        o.set("stats", stats(g.stats()));
        return o;
    }

    public static ObjectNode stats(DecodeStats s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("oracle_forwards", s.oracleForwardCount());
        o.put("draft_forwards", s.draftForwardCount());
        o.put("ngram_queries", s.ngramQueryCount());
        o.put("mean_accepted_per_oracle_call", s.meanAcceptedPerOracleCall());
        o.put("bytes_read", s.bytesRead());
        o.put("oracle_bytes_read", s.oracleBytesRead());
        o.put("draft_bytes_read", s.draftBytesRead());
        o.set("accepted_histogram", JSON.valueToTree(s.acceptedHistogram()));
        o.set("tree_size_histogram", JSON.valueToTree(s.treeSizeHistogram()));
        ObjectNode ms = o.putObject("ms");
        ms.put("total", s.totalNanos() / 1e6);
        ms.put("prefill", s.prefillNanos() / 1e6);
        ms.put("oracle", s.oracleNanos() / 1e6);
        ms.put("draft", s.draftNanos() / 1e6);
        ms.put("ngram", s.ngramNanos() / 1e6);
        ms.put("bookkeeping", s.bookkeepingNanos() / 1e6);
        return o;
    }

    public static String toJson(Generation g) {
        try {
            return JSON.writeValueAsString(of(g));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

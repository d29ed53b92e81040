package ssd.harness.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import ssd.harness.decode.Method;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** bench-decode's verdict on greedy agreement, from the records it wrote (fresh or resumed). */
class GreedyAgreementTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode run(String task, String method, String tokens, String divergence) throws Exception {
        return JSON.readTree("{\"task_id\":\"" + task + "\",\"method\":\"" + method + "\",\"tokens\":" + tokens
                + ",\"origins\":[],\"seconds\":1,\"stats\":{}" + (divergence == null ? "" : ",\"greedy_divergence\":" + divergence) + "}");
    }

    static String verdict(JsonNode... records) {
        BenchSummary s = new BenchSummary(List.of(Method.BASELINE, Method.STAGED));
        for (JsonNode r : records) s.add(r);
        return s.greedyAgreement();
    }

    @Test
    void identicalRunsAgree() throws Exception {
        assertThat(verdict(run("a", "baseline", "[1,2,3]", null), run("a", "staged", "[1,2,3]", null)))
                .isEqualTo("greedy outputs identical to the baseline: yes");
    }

    @Test
    void runsPartingOnlyAtTiesAgreeUpToTies() throws Exception {
        String tie = "{\"position\":2,\"baseline_token\":3,\"token\":4,\"logit_gap\":0.01,\"tie_tolerance\":0.03,\"tie\":true,\"verdict\":\"tie\"}";
        assertThat(verdict(run("a", "baseline", "[1,2,3]", null), run("a", "staged", "[1,2,4]", tie),
                run("b", "baseline", "[5]", null), run("b", "staged", "[5]", null)))
                .startsWith("greedy outputs identical to the baseline up to rounding: yes (1 runs");
    }

    @Test
    void aDifferenceBeyondATieOrWithoutAnalysisIsAMismatch() throws Exception {
        String tie = "{\"position\":2,\"baseline_token\":3,\"token\":4,\"logit_gap\":0.01,\"tie_tolerance\":0.03,\"tie\":true,\"verdict\":\"tie\"}";
        String real = "{\"position\":0,\"baseline_token\":5,\"token\":6,\"logit_gap\":2.5,\"tie_tolerance\":0.03,\"tie\":false,\"verdict\":\"mismatch\"}";
        assertThat(verdict(run("a", "baseline", "[1,2,3]", null), run("a", "staged", "[1,2,4]", tie),
                run("b", "baseline", "[5]", null), run("b", "staged", "[6]", real),
                run("c", "baseline", "[7]", null), run("c", "staged", "[8]", null)))
                .isEqualTo("greedy outputs identical to the baseline: NO (3 differing runs, 2 of them not explained by rounding)");
    }

    @Test
    void aMethodTheReferencePrefersIsNotBlamed() throws Exception {
        String off = "{\"position\":0,\"baseline_token\":5,\"token\":6,\"logit_gap\":-0.05,\"tie_tolerance\":0.03,\"tie\":false,"
                + "\"verdict\":\"reference_prefers_method\"}";
        assertThat(verdict(run("b", "baseline", "[5]", null), run("b", "staged", "[6]", off)))
                .startsWith("greedy outputs identical to the baseline up to rounding: yes (1 runs");
    }
}

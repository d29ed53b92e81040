package ssd.tables;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The paper comparison's layout: every cell of the paper's Tables 1 and 2, with the paper's value (or why there is
 * none), one predicted column per profile and the measured column, on PaperTablesTest's synthetic runs.
 */
class PaperComparisonTest {
    @TempDir
    Path dir;

    private static final Profile PAPER = new Profile("paper", "rtx4090", "the paper's eager PyTorch");
    private static final Profile OURS = new Profile("ours", "rtx4090", "our decoder");

    /** Two profiles; "ours" has no staged top-k prediction. Ratios: paper staged greedy 3x, ours 2x. */
    private static Predictor predictor() {
        return new Predictor() {
            @Override
            public List<Profile> profiles() {
                return List.of(PAPER, OURS);
            }

            @Override
            public List<Prediction> predict(List<DecodeRun> runs) {
                return List.of(
                        new Prediction("paper", PaperClaims.GREEDY, "baseline", 150, 1.6e9),
                        new Prediction("paper", PaperClaims.GREEDY, "speculative", 300, 0.8e9),
                        new Prediction("paper", PaperClaims.GREEDY, "staged", 450, 0.4e9),
                        new Prediction("paper", PaperClaims.TOP_K, "baseline", 140, Double.NaN),
                        new Prediction("paper", PaperClaims.TOP_K, "staged", 210, Double.NaN),
                        new Prediction("ours", PaperClaims.GREEDY, "baseline", 500, 1.6e9),
                        new Prediction("ours", PaperClaims.GREEDY, "staged", 1000, 0.8e9),
                        new Prediction("ours", PaperClaims.TOP_K, "baseline", 400, 1.6e9));
            }
        };
    }

    private PaperComparison comparison() throws Exception {
        PaperTablesTest tables = new PaperTablesTest();
        tables.dir = dir;
        return PaperComparison.of(DecodeResults.load(List.of(tables.synthetic())).runs(), predictor());
    }

    private static PaperComparison.Row row(PaperComparison.Section s, int table, String comparison, String sampling) {
        return s.table(table).stream().filter(r -> r.claim().comparison().label().equals(comparison) && r.claim().samplingMode().equals(sampling))
                .findFirst().orElseThrow(() -> new AssertionError("no row " + comparison + " / " + sampling));
    }

    @Test
    void everyPaperCellHasARowWithPaperPredictedAndMeasuredColumns() throws Exception {
        PaperComparison c = comparison();
        assertThat(c.sections()).hasSize(1);
        PaperComparison.Section s = c.sections().get(0);
        assertThat(s.setup()).isEqualTo("Test CPU, fp32");
        List<List<String>> t1 = ComparisonMarkdown.grid(c, s, 1), t2 = ComparisonMarkdown.grid(c, s, 2);
        assertThat(t1.get(0)).containsExactly("comparison", "sampling", "paper", "predicted rtx4090 (paper)", "predicted rtx4090 (ours)", "measured");
        assertThat(t2.get(0)).isEqualTo(t1.get(0));
        assertThat(t1).hasSize(1 + 4);
        assertThat(t2).hasSize(1 + 8);
        // Table 1: the paper's cells are illegible; staged greedy 40 B/token vs the baseline's 100; predicted 0.4e9 / 1.6e9
        assertThat(t1.subList(1, 5)).allSatisfy(r -> assertThat(r.get(2)).isEqualTo("illegible in our copy"));
        assertThat(t1.get(3)).containsExactly("staged vs baseline", "greedy", "illegible in our copy", "0.25x", "0.50x", "0.40x");
        assertThat(t1.get(4)).containsExactly("staged vs baseline", "top-k (k=50, T=1)", "illegible in our copy",
                "- (no staged prediction)", "- (no staged prediction)", "0.80x");
        // Table 2: reported, derived, approximate and not-reported cells; measured staged greedy 40 tok/s vs 15
        assertThat(t2).contains(
                List.of("staged vs baseline", "greedy", "3.16x", "3.00x", "2.00x", "2.67x"),
                List.of("staged vs baseline", "top-k (k=50, T=1)", "1.98x", "1.50x", "- (no staged prediction)", "2.00x"),
                List.of("staged vs speculative", "greedy", "1.36x", "1.50x", "- (no speculative prediction)", "1.00x"),
                List.of("staged vs speculative", "top-k (k=50, T=1)", "1.36x", "- (no speculative prediction)",
                        "- (no staged prediction)", "- (no speculative runs)"),
                List.of("speculative vs baseline", "greedy", "~2.32x (derived: 3.16 / 1.36)", "2.00x", "- (no speculative prediction)", "2.67x"),
                List.of("speculative vs baseline", "top-k (k=50, T=1)", "~1.46x (derived: 1.98 / 1.36)", "- (no speculative prediction)",
                        "- (no speculative prediction)", "- (no speculative runs)"),
                List.of("baseline tokens/s", "greedy", "~150.0 tokens/s", "150.0 tokens/s", "500.0 tokens/s", "15.0 tokens/s"),
                List.of("baseline tokens/s", "top-k (k=50, T=1)", "not reported", "140.0 tokens/s", "400.0 tokens/s", "5.0 tokens/s"));
        assertThat(row(s, 2, "speculative vs baseline", "greedy").claim().paper().value()).isCloseTo(3.16 / 1.36, within(1e-12));
        assertThat(row(s, 2, "staged vs baseline", "greedy").measured().number()).isCloseTo(40.0 / 15.0, within(1e-12));
    }

    @Test
    void markdownAndCsvCarryEveryCell() throws Exception {
        PaperComparison c = comparison();
        String md = ComparisonMarkdown.render(c, List.of());
        assertThat(md).contains("*Table 1, measured on Test CPU, fp32*", "*Table 2, measured on Test CPU, fp32*",
                "| staged vs baseline | greedy | 3.16x | 3.00x | 2.00x | 2.67x |", PaperClaims.TABLE1_NOTE,
                "- predicted rtx4090 (ours): our decoder");
        String csv = ComparisonCsv.csv(c);
        assertThat(csv.lines()).hasSize(1 + 12 * 4).first().isEqualTo(ComparisonCsv.HEADER);
        assertThat(csv).contains("\"Test CPU, fp32\",1,speculative vs baseline,greedy,paper,,illegible\n",
                "\"Test CPU, fp32\",2,staged vs baseline,greedy,paper,3.16,reported\n",
                "\"Test CPU, fp32\",2,staged vs baseline,greedy,predicted:ours,2.0,predicted\n",
                "\"Test CPU, fp32\",2,staged vs speculative,\"top-k (k=50, T=1)\",measured,,absent: no speculative runs\n");
    }

    @Test
    void twoPredictionsForOneCellAreRefused() throws Exception {
        PaperTablesTest tables = new PaperTablesTest();
        tables.dir = dir;
        Predictor twice = new Predictor() {
            @Override
            public List<Profile> profiles() {
                return List.of(PAPER);
            }

            @Override
            public List<Prediction> predict(List<DecodeRun> runs) {
                Prediction p = new Prediction("paper", PaperClaims.GREEDY, "staged", 1, 1);
                return List.of(p, p);
            }
        };
        assertThatThrownBy(() -> PaperComparison.of(DecodeResults.load(List.of(tables.synthetic())).runs(), twice))
                .hasMessage("two predictions for staged, greedy, profile paper: expected one");
    }

    @Test
    void predictionsFileIsReadAndCheckedWithOneLineErrors() throws Exception {
        Path f = dir.resolve("predictions.json");
        Files.writeString(f, """
                {"profiles": [{"name": "paper", "device": "rtx4090", "description": "fitted to 150 tokens/s"}],
                 "predictions": [{"profile": "paper", "sampling": {"temperature": 0, "top_k": 0}, "method": "staged",
                                  "tokens_per_second": 474.0, "bytes_per_token": 5.2e8},
                                 {"profile": "paper", "sampling": {"temperature": 1, "top_k": 50}, "method": "baseline",
                                  "tokens_per_second": 150}]}""");
        PredictionsJson p = PredictionsJson.read(f);
        assertThat(p.profiles()).containsExactly(new Profile("paper", "rtx4090", "fitted to 150 tokens/s"));
        assertThat(p.predict(List.of())).containsExactly(new Prediction("paper", PaperClaims.GREEDY, "staged", 474.0, 5.2e8),
                new Prediction("paper", PaperClaims.TOP_K, "baseline", 150, Double.NaN));

        Files.writeString(f, """
                {"profiles": [{"name": "paper", "device": "rtx4090"}],
                 "predictions": [{"profile": "ours", "sampling": {"temperature": 0, "top_k": 0}, "method": "staged", "tokens_per_second": 1}]}""");
        assertThatThrownBy(() -> PredictionsJson.read(f)).hasMessage(f + ": predictions[0]: profile 'ours' is not in 'profiles'");
        Files.writeString(f, """
                {"profiles": [{"name": "paper", "device": "rtx4090"}],
                 "predictions": [{"profile": "paper", "sampling": {"temperature": 0, "top_k": 0}, "method": "staged", "tokens_per_second": -1}]}""");
        assertThatThrownBy(() -> PredictionsJson.read(f)).hasMessage(f + ": predictions[0]: tokens_per_second must be a positive number, got -1.0");
        Files.writeString(f, "{\"profiles\": []");
        assertThatThrownBy(() -> PredictionsJson.read(f)).hasMessageStartingWith(f + ": cannot read predictions (");
    }
}

package ssd.harness.figures;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ssd.harness.SsdRun;
import ssd.decoder.tokenizer.Gpt2Tokenizer;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** `ssd figures` on tiny synthetic results: what it writes, prints and refuses. */
class FiguresCommandTest {


    private static Path forwardCsv(Path dir, String device) throws IOException {
        Path csv = dir.resolve("forward.csv");
        Files.writeString(csv, "device,dtype,n_layer,n_embd,n_head,vocab_size,n_positions,prefix_len,new_tokens,ms_per_forward,weight_bytes,copy_bandwidth_bytes_per_s\n"
                + "\"" + device + "\",fp16,2,64,2,100,64,128,1,1.0,1000000,3000000000000\n"
                + "\"" + device + " [cuda-graph]\",fp16,2,64,2,100,64,128,32,2.0,1000000,3000000000000\n");
        return csv;
    }

    private static String record(String task, String method, double temperature, int topK, double tps, String text) {
        int[] tokens = Gpt2Tokenizer.get().encode(text);
        String[] origins = {"ORACLE", "DRAFT", "NGRAM"};
        return String.format(Locale.ROOT, "{\"task_id\":\"%s\",\"method\":\"%s\",\"device\":\"cpu\",\"dtype\":\"fp32\","
                        + "\"sampling\":{\"temperature\":%s,\"top_k\":%d,\"seed\":0},\"tokens_per_second\":%s,\"tokens\":%s,\"origins\":[%s],"
                        + "\"text\":\"%s\",\"seconds\":%s,\"stats\":{\"oracle_forwards\":1,\"mean_accepted_per_oracle_call\":0.0,"
                        + "\"bytes_read\":1,\"oracle_bytes_read\":1,\"draft_bytes_read\":0}}",
                task, method, temperature, topK, tps, Arrays.toString(tokens),
                Arrays.stream(tokens).mapToObj(i -> "\"" + origins[Math.floorMod(i, 3)] + "\"").collect(Collectors.joining(",")),
                text.replace("\n", "\\n"), tokens.length / tps);
    }

    private static Path results(Path dir) throws IOException {
        Path f = dir.resolve("decode.jsonl");
        String code = "def f(x):\n    return x + 1\n";
        Files.writeString(f, String.join("\n",
                record("t/0", "baseline", 0, 0, 100, code), record("t/0", "speculative", 0, 0, 120, code), record("t/0", "staged", 0, 0, 150, code),
                record("t/1", "baseline", 0, 0, 100, code), record("t/1", "speculative", 0, 0, 90, code), record("t/1", "staged", 0, 0, 110, code),
                record("t/0", "baseline", 1, 50, 100, code), record("t/0", "staged", 1, 50, 80, "if x:\n    pass\n")) + "\n");
        return f;
    }

    @Test
    void writesEveryFigure(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("figs");
        SsdRun r = SsdRun.of("figures", "--forward", forwardCsv(dir, "NVIDIA H100 80GB").toString(), "--results", results(dir).toString(), "--out", out.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        for (String name : new String[]{"figure1-roofline.png", "figure2a-greedy.png", "figure2b-topk.png", "figure3-provenance.png"}) {
            Path png = out.resolve(name);
            assertThat(r.out()).contains("wrote " + png);
            BufferedImage img = ImageIO.read(png.toFile());
            assertThat(img).as(name).isNotNull();
            assertThat(img.getWidth()).isEqualTo(1000);
        }
        assertThat(r.out()).contains("989 TFLOP/s peak", "figure 3 shows t/0 (greedy");
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).allMatch(n -> n.endsWith(".png") && !n.startsWith("."));
        }
    }

    @Test
    void chosenTaskAndOnlyWhatWasAskedFor(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("figs");
        SsdRun r = SsdRun.of("figures", "--results", results(dir).toString(), "--task", "t/1", "--out", out.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("figure 3 shows t/1").doesNotContain("figure1");
        assertThat(out.resolve("figure1-roofline.png")).doesNotExist();
    }

    @Test
    void badInputFailsWithOneLine(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("figs");
        SsdRun missing = SsdRun.of("figures", "--results", dir.resolve("nope.jsonl").toString(), "--out", out.toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err().strip()).contains("nope.jsonl: no such file").doesNotContain("\n");

        SsdRun cpu = SsdRun.of("figures", "--forward", forwardCsv(dir, "AMD EPYC").toString(), "--out", out.toString());
        assertThat(cpu.exit()).isEqualTo(1);
        assertThat(cpu.err().strip()).contains("AMD EPYC", "--peak-tflops").doesNotContain("\n");
        assertThat(SsdRun.of("figures", "--forward", forwardCsv(dir, "AMD EPYC").toString(), "--peak-tflops", "2", "--out", out.toString()).exit()).isZero();

        SsdRun task = SsdRun.of("figures", "--results", results(dir).toString(), "--task", "t/9", "--out", out.toString());
        assertThat(task.exit()).isEqualTo(1);
        assertThat(task.err()).contains("t/9");

        Path garbage = dir.resolve("garbage.jsonl");
        Files.writeString(garbage, "{not json\n");
        SsdRun g = SsdRun.of("figures", "--results", garbage.toString(), "--out", out.toString());
        assertThat(g.exit()).isEqualTo(1);
        assertThat(g.err().strip()).contains("garbage.jsonl:1").doesNotContain("\n");

        assertThat(SsdRun.of("figures", "--out", out.toString()).exit()).isEqualTo(1);
    }
}

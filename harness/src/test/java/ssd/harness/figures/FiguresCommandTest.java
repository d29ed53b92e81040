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
        Path csv = dir.resolve(device.replaceAll("\\W+", "-") + ".csv"); // one file per device, so a run can read several
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
        assertThat(r.out()).contains("989.4 TFLOP/s peak", "figure 3 shows t/0 (greedy");
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

    @Test
    void eachDeviceGetsItsOwnPeak(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("figs");
        String h200 = forwardCsv(dir, "NVIDIA H200").toString(), xeon = forwardCsv(dir, "Intel Xeon Gold").toString();
        SsdRun r = SsdRun.of("figures", "--forward", h200, xeon, "--peak-tflops", "H200=900", "--peak-tflops", "xeon=3.1", "--out", out.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("roofline NVIDIA H200: 3000 GB/s (median copy bandwidth), 900 TFLOP/s peak",
                "roofline Intel Xeon Gold: 3000 GB/s (median copy bandwidth), 3.1 TFLOP/s peak");
        assertThat(out.resolve("figure1-roofline.png")).isRegularFile();

        // A device no entry names keeps its default; the bare form still sets every device.
        SsdRun dflt = SsdRun.of("figures", "--forward", h200, xeon, "--peak-tflops", "xeon=3.1", "--out", out.toString());
        assertThat(dflt.out()).contains("roofline NVIDIA H200: 3000 GB/s (median copy bandwidth), 989.4 TFLOP/s peak");
        SsdRun bare = SsdRun.of("figures", "--forward", h200, xeon, "--peak-tflops", "2", "--out", out.toString());
        assertThat(bare.out()).contains("NVIDIA H200: 3000 GB/s (median copy bandwidth), 2 TFLOP/s peak", "Intel Xeon Gold: 3000 GB/s (median copy bandwidth), 2 TFLOP/s peak");
    }

    @Test
    void badPeaksFailWithOneLineAndWriteNothing(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("figs");
        String h200 = forwardCsv(dir, "NVIDIA H200").toString(), xeon = forwardCsv(dir, "Intel Xeon Gold").toString();
        String[][] cases = {
                {"h200=", "'h200=': expected T or MATCH=T"}, {"=5", "'=5': expected"}, {"abc", "'abc': expected"},
                {"-2", "'-2': expected"}, {"0", "'0': expected"}, {"xeon=0", "'xeon=0': expected"},
                {"a100=312", "'a100=312' matches no device"}, {"nvidia=900", "'h200=989' and 'nvidia=900' match the same device 'NVIDIA H200'"},
        };
        for (String[] c : cases) {
            SsdRun r = SsdRun.of("figures", "--forward", h200, xeon, "--peak-tflops", "h200=989", "--peak-tflops", "xeon=3", "--peak-tflops", c[0],
                    "--out", out.toString());
            assertThat(r.exit()).as(c[0]).isEqualTo(1);
            assertThat(r.err().strip()).as(c[0]).startsWith("ssd figures: ").contains(c[1]).doesNotContain("\n");
            assertThat(out).as(c[0]).doesNotExist();
        }
        SsdRun cpu = SsdRun.of("figures", "--forward", h200, xeon, "--peak-tflops", "h200=989", "--out", out.toString());
        assertThat(cpu.exit()).isEqualTo(1);
        assertThat(cpu.err().strip()).contains("Intel Xeon Gold", "--peak-tflops T", "--peak-tflops MATCH=T").doesNotContain("\n");
        SsdRun noForward = SsdRun.of("figures", "--results", results(dir).toString(), "--peak-tflops", "h200=989", "--out", out.toString());
        assertThat(noForward.exit()).isEqualTo(1);
        assertThat(noForward.err()).contains("--peak-tflops needs --forward");
        assertThat(out).doesNotExist();
    }
}

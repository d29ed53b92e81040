package ssd.roofline.calibrate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ssd.common.Dtype;
import ssd.roofline.ModelShape;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchCsvTest {
    private static final String H = BenchCsv.HEADER;

    @Test
    void headerIsTheDocumentedOne() {
        assertThat(H).isEqualTo("device,dtype,n_layer,n_embd,n_head,vocab_size,n_positions,prefix_len,new_tokens,"
                + "ms_per_forward,weight_bytes,copy_bandwidth_bytes_per_s");
    }

    @Test
    void readsFixtureWithQuotedDeviceAndMissingBandwidth(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bench.csv");
        Files.writeString(f, H + "\n"
                + "\"Intel Xeon, 2 cores\",fp32,2,64,4,100,128,0,1,0.5,458752,1.5e10\n"
                + "\n"
                + "NVIDIA H100 80GB HBM3,fp16,36,1280,20,50257,1024,256,8,7.25,1548060160,\n");
        List<BenchRow> rows = BenchCsv.read(f);
        assertThat(rows).containsExactly(
                new BenchRow("Intel Xeon, 2 cores", Dtype.FP32, new ModelShape(2, 64, 4, 100, 128), 0, 1, 0.5, 458752, 1.5e10),
                new BenchRow("NVIDIA H100 80GB HBM3", Dtype.FP16, new ModelShape(36, 1280, 20, 50257, 1024), 256, 8, 7.25, 1548060160L, 0));
    }

    @Test
    void roundTrips(@TempDir Path dir) {
        List<BenchRow> rows = List.of(
                new BenchRow("He said \"fast\", twice", Dtype.BF16, new ModelShape(4, 512, 8, 50257, 1024), 17, 64, 1.234567, 78_000_000, 2.5e10),
                new BenchRow("cpu", Dtype.FP32, new ModelShape(2, 64, 4, 100, 128), 0, 1, 0.25, 0, 0));
        Path f = dir.resolve("b.csv");
        BenchCsv.write(f, rows);
        assertThat(BenchCsv.read(f)).isEqualTo(rows);
    }

    @Test
    void malformedFilesNameTheFileLineAndColumn(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "device,dtype\ncpu,fp32\n");
        assertThatThrownBy(() -> BenchCsv.read(f)).hasMessage(f + " line 1: header must be exactly '" + H + "'");

        Files.writeString(f, H + "\ncpu,fp32,2,64,4,100,128,0,1,0.5,458752\n");
        assertThatThrownBy(() -> BenchCsv.read(f)).hasMessage(f + " line 2: expected 12 columns, got 11 (quote fields that contain commas)");

        Files.writeString(f, H + "\ncpu,fp32,2,64,4,100,128,0,one,0.5,458752,\n");
        assertThatThrownBy(() -> BenchCsv.read(f)).hasMessage(f + " line 2: column new_tokens must be an integer, got 'one'");

        Files.writeString(f, H + "\ncpu,fp8,2,64,4,100,128,0,1,0.5,458752,\n");
        assertThatThrownBy(() -> BenchCsv.read(f)).hasMessageStartingWith(f + " line 2: unknown dtype 'fp8'");

        Files.writeString(f, H + "\ncpu,fp32,2,64,4,100,128,0,1,-3,458752,\n");
        assertThatThrownBy(() -> BenchCsv.read(f)).hasMessageStartingWith(f + " line 2: ms_per_forward must be a positive number");

        Files.writeString(f, H + "\n");
        assertThatThrownBy(() -> BenchCsv.read(f)).hasMessage(f + ": no data rows after the header");

        assertThatThrownBy(() -> BenchCsv.read(dir.resolve("nope.csv"))).hasMessageEndingWith("nope.csv: no such file");
    }
}

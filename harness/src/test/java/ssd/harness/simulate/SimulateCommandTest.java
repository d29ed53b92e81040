package ssd.harness.simulate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ssd.harness.SsdRun;
import ssd.common.Dtype;
import ssd.roofline.ModelShapes;
import ssd.roofline.calibrate.BenchCsv;
import ssd.roofline.calibrate.BenchRow;
import ssd.roofline.cost.ForwardCostModel;
import ssd.roofline.device.Device;
import ssd.roofline.device.DeviceCatalog;
import ssd.roofline.device.DeviceJson;
import ssd.roofline.time.TimeModel;
import ssd.roofline.trace.DecodingTrace;
import ssd.roofline.trace.DraftCall;
import ssd.roofline.trace.Method;
import ssd.roofline.trace.OracleCall;
import ssd.roofline.trace.TraceJson;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** `ssd simulate` as a user runs it: exit codes, what is printed, what is written. */
class SimulateCommandTest {


    @Test
    void tableForThePapersSetup() {
        SsdRun r = SsdRun.of("simulate", "--device", "rtx4090", "--config", "gpt2-large");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("baseline (batch 1): 150.", "0.145% of the fp16 peak", "new_tokens");
        assertThat(r.out().lines().filter(l -> l.matches("^128\\s+.*")).count()).isEqualTo(1);
    }

    @Test
    void badInputsFailWithOneLine() {
        SsdRun r = SsdRun.of("simulate", "--device", "rtx5090");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("ssd simulate: unknown device 'rtx5090': expected one of rtx4090").doesNotContain("\n");

        SsdRun c = SsdRun.of("simulate", "--config", "gpt3");
        assertThat(c.exit()).isEqualTo(1);
        assertThat(c.err()).contains("model 'gpt3'");
    }

    @Test
    void calibrateWritesAMachineJsonThatCheckAccepts(@TempDir Path dir) throws Exception {
        Device truth = DeviceCatalog.get("cpu").withComputeScale(0.5).withOverheads(0, 30e-6).withCopyBandwidth(10e9);
        List<BenchRow> rows = new ArrayList<>();
        for (int n = 1; n <= 128; n *= 2) {
            var shape = ModelShapes.resolve("2x256");
            double s = TimeModel.time(truth, ForwardCostModel.forward(shape, Dtype.FP32, 64, n), Dtype.FP32).seconds();
            rows.add(new BenchRow("Some CPU (2 cores)", Dtype.FP32, shape, 64, n, s * 1e3, 0, 10e9));
        }
        Path bench = dir.resolve("bench.csv"), machine = dir.resolve("out/machine.json");
        BenchCsv.write(bench, rows);
        SsdRun r = SsdRun.of("simulate", "calibrate", "--bench", bench.toString(), "--out", machine.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("within target", "wrote " + machine);
        assertThat(DeviceJson.read(machine).hostOverheadPerOp()).isBetween(27e-6, 33e-6);
        assertThat(SsdRun.of("simulate", "check", "--bench", bench.toString(), "--device", machine.toString()).exit()).isZero();
        // The uncalibrated prior is far off: check says so with exit status 1.
        assertThat(SsdRun.of("simulate", "check", "--bench", bench.toString(), "--device", "cpu").exit()).isEqualTo(1);
    }

    @Test
    void malformedBenchNamesTheLine(@TempDir Path dir) throws Exception {
        Path bench = dir.resolve("bench.csv");
        Files.writeString(bench, BenchCsv.HEADER + "\ncpu,fp32,2,64,4,100,128,0,1,fast,1,\n");
        SsdRun r = SsdRun.of("simulate", "calibrate", "--bench", bench.toString(), "--out", dir.resolve("m.json").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains(bench + " line 2: column ms_per_forward must be a number, got 'fast'");
        assertThat(dir.resolve("m.json")).doesNotExist();
    }

    @Test
    void traceGivesMethodTableWithImpliedBaseline(@TempDir Path dir) {
        List<OracleCall> oracle = new ArrayList<>(List.of(new OracleCall(0, 50, 1)));
        List<DraftCall> draft = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            oracle.add(new OracleCall(50 + 3 * i, 12, 3));
            draft.add(new DraftCall(50 + 3 * i, 1));
            draft.add(new DraftCall(51 + 3 * i, 3));
        }
        DecodingTrace t = new DecodingTrace(Method.STAGED, ModelShapes.preset("gpt2-large"), ModelShapes.resolve("4x512"),
                Dtype.FP16, 61, oracle, draft, 100);
        Path f = dir.resolve("trace.json");
        TraceJson.write(f, List.of(t));
        SsdRun r = SsdRun.of("simulate", "--trace", f.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("baseline (implied)", "staged", "no baseline trace");

        SsdRun e = SsdRun.of("simulate", "--trace", dir.resolve("missing.json").toString());
        assertThat(e.exit()).isEqualTo(1);
        assertThat(e.err()).contains("missing.json: no such file");
    }

    @Test
    void rooflineAndSweepWriteCsv(@TempDir Path dir) throws Exception {
        Path fig = dir.resolve("fig1.csv");
        SsdRun r = SsdRun.of("simulate", "roofline", "--device", "rtx4090", "--out", fig.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = Files.readAllLines(fig);
        assertThat(lines.get(0)).isEqualTo("device,dtype,kind,label,arithmetic_intensity,flops_per_s");
        assertThat(lines).anyMatch(l -> l.contains(",point,baseline,"));
        assertThat(lines).anyMatch(l -> l.contains(",point,tree B=32 (what-if),"));

        Path sweep = dir.resolve("sweep.csv");
        SsdRun s = SsdRun.of("simulate", "sweep", "--vary", "device", "--out", sweep.toString());
        assertThat(s.exit()).as(s.err()).isZero();
        assertThat(Files.readAllLines(sweep)).hasSize(1 + 4 * 3);

        SsdRun bad = SsdRun.of("simulate", "sweep", "--vary", "colour");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("--vary 'colour': expected tree, draft or device");
    }
}

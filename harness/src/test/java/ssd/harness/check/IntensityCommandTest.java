package ssd.harness.check;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ssd.harness.SsdRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IntensityCommandTest {
    @Test
    void withoutNsightComputeItSaysSoInOneLineAndExits2(@TempDir Path dir) {
        Path out = dir.resolve("intensity.csv");
        SsdRun r = SsdRun.of("check", "intensity", "--ncu", dir.resolve("no-such-ncu").toString(), "--out", out.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("no Nsight Compute here");
        assertThat(out).doesNotExist();
    }

    @Test
    void withNcuButNoCudaDeviceItExits2(@TempDir Path dir) throws IOException {
        Path fake = dir.resolve("ncu");
        Files.writeString(fake, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        SsdRun r = SsdRun.of("check", "intensity", "--ncu", fake.toString(), "--out", dir.resolve("i.csv").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no CUDA device");
    }

    @Test
    void aBadModeIsRefusedBeforeAnythingRuns(@TempDir Path dir) {
        SsdRun r = SsdRun.of("check", "intensity", "--modes", "graph", "--ncu", dir.resolve("x").toString(), "--out", dir.resolve("i.csv").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("--modes 'graph'");
    }

    @Test
    void theChildJvmKeepsThisJvmsOptions() {
        List<String> args = List.of("-Xss8m", "-Djava.library.path=/opt/torch/lib", "-cp", "/b/lib/*", "ssd.harness.Ssd", "check", "intensity");
        assertThat(JavaRelaunch.of("/b/jre/bin/java", args, "/jh", "cp", List.of("check", "intensity-probe")))
                .containsExactly("/b/jre/bin/java", "-Xss8m", "-Djava.library.path=/opt/torch/lib", "-cp", "/b/lib/*", "ssd.harness.Ssd",
                        "check", "intensity-probe");
        assertThat(JavaRelaunch.of(null, null, "/jh", "a.jar:b.jar", List.of("x")))
                .containsExactly(Path.of("/jh", "bin", "java").toString(), "-cp", "a.jar:b.jar", "ssd.harness.Ssd", "x");
    }

    @Test
    void theProbeMarksEachForwardOnTheCpu() {
        SsdRun r = SsdRun.of("check", "intensity-probe", "--device", "cpu", "--dtype", "fp32", "--forward-mode", "static",
                "--layers", "2", "--embd", "64", "--heads", "2", "--vocab", "300", "--prefix", "8", "--new-tokens", "1,3");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("ssd-probe machine ").contains("ssd-probe forward rows=1 prefix=8").contains("ssd-probe forward rows=3 prefix=8");
    }

    @Test
    void theDecodeProbeReportsTokensAndAccountedBytesPerRun() {
        SsdRun r = SsdRun.of("check", "intensity-probe", "--decode", "--device", "cpu", "--dtype", "fp32", "--model", "../models/mini/oracle",
                "--draft", "../models/mini/draft", "--ngram", "../models/mini/ngram.katz", "--prompt-tokens", "198,4299,2124", "--tokens", "6",
                "--methods", "baseline,staged");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> runs = r.out().lines().filter(l -> l.startsWith("ssd-probe decode ")).toList();
        assertThat(runs).hasSize(4);
        assertThat(runs.get(0)).startsWith("ssd-probe decode method=baseline tokens=6 bytes_read=");
        assertThat(runs.get(1)).startsWith("ssd-probe decode method=baseline tokens=1 bytes_read=");
        assertThat(runs.get(2)).startsWith("ssd-probe decode method=staged tokens=6");
    }
}

package ssd.common;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class MachineInfoTest {
    @Test
    void theCpuIsItsModelNameAndCores(@TempDir Path dir) throws IOException {
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\n\n"
                + "processor\t: 1\nmodel name\t: AMD EPYC 7B13\n");
        assertThat(MachineInfo.cpuModel(cpuinfo)).hasValue("AMD EPYC 7B13");
        assertThat(MachineInfo.cpuName(MachineInfo.cpuModel(cpuinfo), 2)).isEqualTo("AMD EPYC 7B13 (2 cores)");
    }

    @Test
    void withoutACpuinfoTheCpuIsUnknownButTheCoresAreStillSaid(@TempDir Path dir) throws IOException {
        assertThat(MachineInfo.cpuModel(dir.resolve("absent"))).isEmpty();
        Path armStyle = Files.writeString(dir.resolve("cpuinfo"), "processor\t: 0\nBogoMIPS\t: 50.00\n");
        assertThat(MachineInfo.cpuModel(armStyle)).isEmpty();
        assertThat(MachineInfo.cpuName(Optional.empty(), 4)).isEqualTo("unknown CPU (4 cores)");
    }

    @Test
    void aCpuDeviceIsDescribedByItsCpu() {
        assertThat(MachineInfo.describe("cpu")).isEqualTo(MachineInfo.cpuName())
                .endsWith("(" + Runtime.getRuntime().availableProcessors() + " cores)");
        assertThat(MachineInfo.hostName()).isNotBlank();
    }
}

package ssd.roofline.device;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ssd.common.Dtype;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceCatalogTest {
    @Test
    void catalogHasThePapersCardAndOurs() {
        assertThat(DeviceCatalog.names()).contains("rtx4090", "h100-sxm", "h200", "a100-80gb", "cpu");
        Device d = DeviceCatalog.get("RTX4090");
        assertThat(d.bandwidth()).isEqualTo(1.008e12);
        assertThat(d.peakFlops(Dtype.FP16)).isEqualTo(165.2e12);
        assertThat(d.peakFlops(Dtype.FP32)).isEqualTo(82.6e12);
        assertThat(d.l2Bytes()).isEqualTo(72L << 20);
        assertThat(d.smCount()).isEqualTo(128);
        // Measured copy bandwidth (gpu-host.md) overrides the datasheet figure.
        assertThat(DeviceCatalog.get("h100-sxm").bandwidth()).isEqualTo(3.0e12);
        assertThat(DeviceCatalog.get("h200").bandwidth()).isEqualTo(4.3e12);
        assertThat(DeviceCatalog.get("h200").memoryBandwidth()).isEqualTo(4.8e12);
    }

    @Test
    void unknownDeviceNamesTheChoices() {
        assertThatThrownBy(() -> DeviceCatalog.resolve("rtx5090"))
                .hasMessage("unknown device 'rtx5090': expected one of rtx4090, h100-sxm, h200, a100-80gb, h100-pcie, cpu, or a path to a device JSON file");
    }

    @Test
    void deviceFilesRoundTripAndResolveByPath(@TempDir Path dir) {
        Device d = DeviceCatalog.get("h200").withName("my box").withLaunch(Launch.PIPELINED).withOverheads(1e-6, 2e-6);
        Path f = dir.resolve("machine.json");
        DeviceJson.write(d, f);
        assertThat(DeviceCatalog.resolve(f.toString())).isEqualTo(d);
    }

    @Test
    void malformedDeviceFileNamesTheField(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"name\":\"x\",\"kind\":\"tpu\"}");
        assertThatThrownBy(() -> DeviceJson.read(f)).hasMessage(f + ": field 'kind' must be \"gpu\" or \"cpu\", got \"tpu\"");
        Files.writeString(f, "{\"name\":\"x\",\"kind\":\"gpu\",\"memory_bandwidth_bytes_per_s\":1e12}");
        assertThatThrownBy(() -> DeviceJson.read(f)).hasMessage(f + ": missing required field 'peak_fp16_flops'");
        String full = ssd.roofline.io.Json.write(DeviceJson.toJson(DeviceCatalog.get("cpu")));
        Files.writeString(f, full.replace("\"memory_bandwidth_bytes_per_s\" : 2.0E10", "\"memory_bandwidth_bytes_per_s\" : 0"));
        assertThatThrownBy(() -> DeviceJson.read(f)).hasMessage(f + ": device cpu: memory_bandwidth_bytes_per_s must be > 0, got 0.0");
    }

    @Test
    void calibrationPriorIsGuessedFromTheBenchDeviceName() {
        assertThat(DeviceCatalog.priorFor("NVIDIA H100 80GB HBM3").name()).isEqualTo("h100-sxm");
        assertThat(DeviceCatalog.priorFor("NVIDIA H200").name()).isEqualTo("h200");
        assertThat(DeviceCatalog.priorFor("NVIDIA GeForce RTX 4090").name()).isEqualTo("rtx4090");
        assertThat(DeviceCatalog.priorFor("Intel Xeon Platinum (2 cores)").name()).isEqualTo("cpu");
    }

    @Test
    void gpuNamesFindTheirEntryWhosePeaksAreTheProjectsOnlyTable() {
        assertThat(DeviceCatalog.gpuNamed("NVIDIA H200").orElseThrow().peakFlops(Dtype.BF16)).isEqualTo(989.4e12);
        assertThat(DeviceCatalog.gpuNamed("NVIDIA H100 80GB HBM3").orElseThrow().name()).isEqualTo("h100-sxm");
        Device pcie = DeviceCatalog.gpuNamed("NVIDIA H100 PCIe").orElseThrow();
        assertThat(pcie.name()).isEqualTo("h100-pcie");
        assertThat(pcie.peakFlops(Dtype.FP16)).isEqualTo(756e12);
        assertThat(pcie.peakFlops(Dtype.BF16)).isEqualTo(756e12);
        assertThat(DeviceCatalog.gpuNamed("NVIDIA A100-SXM4-80GB").orElseThrow().peakFlops(Dtype.FP16)).isEqualTo(312e12);
        assertThat(DeviceCatalog.gpuNamed("NVIDIA GeForce RTX 4090").orElseThrow().peakFlops(Dtype.FP16)).isEqualTo(165.2e12);
        // Another card, or a CPU: no entry (the cpu prior is a calibration starting point, not a peak).
        assertThat(DeviceCatalog.gpuNamed("Tesla T4")).isEmpty();
        assertThat(DeviceCatalog.gpuNamed("AMD EPYC 7B13 (2 cores)")).isEmpty();
    }
}

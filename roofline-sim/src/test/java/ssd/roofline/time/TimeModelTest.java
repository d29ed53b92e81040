package ssd.roofline.time;

import org.junit.jupiter.api.Test;
import ssd.common.Dtype;
import ssd.roofline.cost.Kernel;
import ssd.roofline.cost.Workload;
import ssd.roofline.device.Device;
import ssd.roofline.device.Launch;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TimeModelTest {
    /** 1 TB/s, 100 TFLOP/s fp16 (ridge 100 FLOP/byte), 2 us kernel latency, 5 us host overhead. */
    private static Device device(Launch launch) {
        return new Device("test", Device.Kind.GPU, 1e12, 0, 100e12, 100e12, 50e12, 0, 1, 2e-6, 5e-6, launch, "");
    }

    // A memory-bound kernel (1 GFLOP, 100 MB: 100 us vs 10 us) and a compute-bound one (1 GFLOP, 1 MB: 10 us vs 1 us).
    private static final Workload TWO = new Workload("two", List.of(
            new Kernel("mem", -1, 1_000_000_000L, 100_000_000L, 0, 0),
            new Kernel("cmp", -1, 1_000_000_000L, 0, 0, 1_000_000L)), 2);

    @Test
    void serialIsRooflineSumPlusLatencyPlusHostPerOp() {
        WorkloadTime t = TimeModel.time(device(Launch.SERIAL), TWO, Dtype.FP16);
        assertThat(t.memorySeconds()).isCloseTo(100e-6, within(1e-12));
        assertThat(t.computeSeconds()).isCloseTo(10e-6, within(1e-12));
        assertThat(t.latencySeconds()).isCloseTo(4e-6, within(1e-12));
        assertThat(t.hostSeconds()).isCloseTo(10e-6, within(1e-12));
        assertThat(t.seconds()).isCloseTo(124e-6, within(1e-12));
        assertThat(t.bound()).isEqualTo("memory");
    }

    @Test
    void fp32UsesTheFp32Peak() {
        WorkloadTime t = TimeModel.time(device(Launch.SERIAL), TWO, Dtype.FP32);
        assertThat(t.computeSeconds()).isCloseTo(20e-6, within(1e-12));
    }

    @Test
    void pipelinedHidesHostOverheadUnderLongKernels() {
        // Issue at 5 us; mem runs 5..107 us; cmp issued at 10 us, runs 107..119 us.
        assertThat(TimeModel.time(device(Launch.PIPELINED), TWO, Dtype.FP16).seconds()).isCloseTo(119e-6, within(1e-12));
    }

    @Test
    void pipelinedIsHostBoundWhenKernelsAreTiny() {
        Workload tiny = new Workload("tiny", List.of(
                new Kernel("a", -1, 0, 1000, 0, 0), new Kernel("b", -1, 0, 1000, 0, 0), new Kernel("c", -1, 0, 1000, 0, 0)), 3);
        // Kernels take 2.001 us but are issued every 5 us: the last starts at 15 us and ends at 17.001 us.
        assertThat(TimeModel.time(device(Launch.PIPELINED), tiny, Dtype.FP16).seconds()).isCloseTo(17.001e-6, within(1e-12));
        assertThat(TimeModel.time(device(Launch.SERIAL), tiny, Dtype.FP16).seconds()).isCloseTo(3 * 7.001e-6, within(1e-12));
    }

    @Test
    void measuredCopyBandwidthOverridesDatasheet() {
        Device measured = device(Launch.SERIAL).withCopyBandwidth(0.5e12);
        assertThat(TimeModel.time(measured, TWO, Dtype.FP16).memorySeconds()).isCloseTo(200e-6, within(1e-12));
        assertThat(measured.ridgePoint(Dtype.FP16)).isCloseTo(200, within(1e-9));
    }
}

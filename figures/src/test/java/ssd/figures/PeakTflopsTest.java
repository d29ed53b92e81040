package ssd.figures;

import org.junit.jupiter.api.Test;
import ssd.roofline.device.Roofline;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --peak-tflops} per device: which peak each device's roofline gets, and the values that are refused. */
class PeakTflopsTest {
    private static final ForwardPoint H200 = point("NVIDIA H200 [cuda-graph+fused]", 4e12),
            XEON = point("Intel(R) Xeon(R) Gold 6338", 1e11), EPYC = point("AMD EPYC 7B13", 5e10);

    private static ForwardPoint point(String device, double bandwidth) {
        return new ForwardPoint(device, "fp16", "2L d64", 1, 1.0, 1_000_000, bandwidth);
    }

    private static Map<String, Roofline> roofs(List<ForwardPoint> points, String... values) {
        return PeakTflops.parse(List.of(values)).rooflines(points);
    }

    private static double peak(Map<String, Roofline> roofs, String hardware) {
        return roofs.get(hardware).peakFlopsPerS() / 1e12;
    }

    @Test
    void eachDeviceGetsTheEntryThatNamesItCaseInsensitively() {
        Map<String, Roofline> r = roofs(List.of(H200, XEON), "h200=900", "XEON=3.1");
        assertThat(r).containsOnlyKeys("NVIDIA H200", "Intel(R) Xeon(R) Gold 6338");
        assertThat(peak(r, "NVIDIA H200")).isEqualTo(900);
        assertThat(peak(r, "Intel(R) Xeon(R) Gold 6338")).isEqualTo(3.1);
        assertThat(r.get("Intel(R) Xeon(R) Gold 6338").bandwidthBytesPerS()).isEqualTo(1e11); // the peak moved, not the slope
        assertThat(r.get("NVIDIA H200").attainable(1e6)).isEqualTo(900e12);
    }

    @Test
    void unnamedDevicesKeepTodaysBehaviour() {
        // A bare value still applies to every device, H100/H200 included (the single --peak-tflops X of before).
        assertThat(peak(roofs(List.of(H200, EPYC), "2"), "NVIDIA H200")).isEqualTo(2);
        // With entries, the bare value is for the devices they leave out.
        Map<String, Roofline> mixed = roofs(List.of(H200, XEON, EPYC), "xeon=3.1", "2");
        assertThat(peak(mixed, "NVIDIA H200")).isEqualTo(2);
        assertThat(peak(mixed, "AMD EPYC 7B13")).isEqualTo(2);
        assertThat(peak(mixed, "Intel(R) Xeon(R) Gold 6338")).isEqualTo(3.1);
        // Without one, an H200 keeps its default (the device catalog's dense fp16 peak) and other devices still need a value.
        assertThat(peak(roofs(List.of(H200, EPYC), "epyc=1.5"), "NVIDIA H200")).isEqualTo(989.4);
        assertThat(peak(roofs(List.of(H200)), "NVIDIA H200")).isEqualTo(989.4);
        assertThatThrownBy(() -> roofs(List.of(H200, EPYC, XEON), "epyc=1.5"))
                .hasMessageContaining("Intel(R) Xeon(R) Gold 6338").hasMessageContaining("--peak-tflops T").hasMessageContaining("MATCH=T");
    }

    @Test
    void valuesThatApplyToTwoDevicesOrNoneAreRefused() {
        assertThatThrownBy(() -> roofs(List.of(H200, XEON), "h200=900", "nvidia=989", "xeon=3"))
                .hasMessageContaining("'h200=900'").hasMessageContaining("'nvidia=989'").hasMessageContaining("NVIDIA H200");
        assertThatThrownBy(() -> roofs(List.of(H200, XEON), "h200=900", "H200=989", "xeon=3")).hasMessageContaining("'H200=989'");
        assertThatThrownBy(() -> roofs(List.of(H200, XEON), "h200=900", "a100=312", "xeon=3"))
                .hasMessageContaining("'a100=312' matches no device").hasMessageContaining("NVIDIA H200");
        assertThatThrownBy(() -> roofs(List.of(H200, XEON), "h200=900", "xeon=3", "5"))
                .hasMessageContaining("'5' applies to no device");
        assertThatThrownBy(() -> roofs(List.of(H200), "5", "6")).hasMessageContaining("'5' and '6'");
    }

    @Test
    void malformedValuesNameTheValueAndTheForm() {
        for (String bad : List.of("h200=", "=5", " =5", "abc", "-1", "0", "h200=0", "h200=-3", "NaN", "Infinity", "h200=1=2", "h200=1,5"))
            assertThatThrownBy(() -> PeakTflops.parse(List.of("xeon=3", bad))).as(bad)
                    .hasMessageContaining("'" + bad + "'").hasMessageContaining(PeakTflops.FORM).hasMessageNotContaining("\n");
        assertThat(PeakTflops.parse(List.of()).isEmpty()).isTrue();
        assertThat(PeakTflops.parse(List.of(" h200 = 989 ")).perDevice()).containsExactly(new PeakTflops.Entry(" h200 = 989 ", "h200", 989));
    }
}

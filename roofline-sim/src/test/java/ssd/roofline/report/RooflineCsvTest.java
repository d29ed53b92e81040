package ssd.roofline.report;

import org.junit.jupiter.api.Test;
import ssd.common.Dtype;
import ssd.roofline.device.Device;
import ssd.roofline.device.DeviceCatalog;
import ssd.roofline.device.Roofline;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RooflineCsvTest {
    @Test
    void roofIsBandwidthSlopeUpToTheComputeCeiling() {
        Device d = DeviceCatalog.get("rtx4090");
        Roofline roof = Roofline.of(d, Dtype.FP16);
        assertThat(roof.attainable(1.0)).isEqualTo(1.008e12);
        assertThat(roof.attainable(1e4)).isEqualTo(165.2e12);
        assertThat(d.ridgePoint(Dtype.FP16)).isCloseTo(163.9, within(0.1));
        assertThat(roof.ridge()).isEqualTo(d.ridgePoint(Dtype.FP16));
        assertThat(roof.peakTflopsText()).isEqualTo("165.2");

        String csv = RooflineCsv.csv(roof, Dtype.FP16, List.of(new RooflineCsv.Point("baseline", 1.0, 2.4e11)));
        List<String> lines = csv.lines().toList();
        assertThat(lines.get(0)).isEqualTo("device,dtype,kind,label,arithmetic_intensity,flops_per_s");
        assertThat(lines.get(1)).isEqualTo("rtx4090,fp16,roof,,0.0100000,1.00800e+10");
        assertThat(lines).anyMatch(l -> l.startsWith("rtx4090,fp16,roof,ridge,163.8"));
        assertThat(lines.get(lines.size() - 1)).isEqualTo("rtx4090,fp16,point,baseline,1.00000,2.40000e+11");
        assertThat(lines).hasSize(1 + 49 + 1 + 1);
    }
}

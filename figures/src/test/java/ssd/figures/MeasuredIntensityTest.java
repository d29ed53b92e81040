package ssd.figures;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import ssd.roofline.device.Roofline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MeasuredIntensityTest {
    private static final String HEADER = "device,dtype,model,mode,rows,prefix,group,kernels,dram_read_bytes,dram_write_bytes,counted_flops,"
            + "model_flops,model_bytes,measured_intensity,predicted_intensity,intensity_error,executed_over_model_flops";

    @Test
    void drawsAMeasuredPointBesideEachForwardItMatches(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("intensity.csv");
        Files.writeString(csv, HEADER + "\n"
                + "\"NVIDIA H200 [cuda-graph+fused]\",fp16,36L d1280,cuda-graph+fused,1,128,linears,144,1.5e9,1e5,,1.4e9,1.5e9,0.93,0.93,0.0,\n"
                + "\"NVIDIA H200 [cuda-graph+fused]\",fp16,36L d1280,cuda-graph+fused,1,128,total,183,1.55e9,2e5,,1.6e9,1.6e9,1.03,1.0,0.03,\n");
        List<MeasuredIntensity> m = MeasuredIntensity.read(csv);
        assertThat(m).containsExactly(new MeasuredIntensity("NVIDIA H200 [cuda-graph+fused]", "fp16", "36L d1280", 1, 1.6e9, 1.03));
        ForwardPoint p = new ForwardPoint("NVIDIA H200 [cuda-graph+fused]", "fp16", "36L d1280", 1, 1.1, 1_545_443_840L, 4.1e12);
        ForwardPoint other = new ForwardPoint("NVIDIA H200 [cuda-graph+fused]", "fp16", "36L d1280", 8, 1.6, 1_545_479_680L, 4.1e12);
        Map<String, Roofline> roofs = PeakTflops.parse(List.of()).rooflines(List.of(p, other));
        XYChart chart = RooflineFigure.build(List.of(p, other), roofs, m);
        String series = p.seriesLabel() + " measured (Nsight DRAM bytes)";
        assertThat(chart.getSeriesMap()).containsKey(series);
        assertThat(chart.getSeriesMap().get(series).getXData()).containsExactly(1.03);
        assertThat(chart.getSeriesMap().get(series).getYData()[0]).isEqualTo(1.6e9 / 1.1e-3 / 1e9);
    }

    @Test
    void anotherCsvIsOneLineNamingTheFile(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("bench.csv");
        Files.writeString(csv, "device,dtype,n_layer\n");
        assertThatThrownBy(() -> MeasuredIntensity.read(csv)).hasMessageStartingWith(csv + " line 1: expected the header of ssd check intensity's CSV");
    }
}

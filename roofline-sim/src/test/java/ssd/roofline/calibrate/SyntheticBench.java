package ssd.roofline.calibrate;

import ssd.common.Dtype;
import ssd.roofline.ModelShape;
import ssd.roofline.cost.ForwardCostModel;
import ssd.roofline.device.Device;
import ssd.roofline.time.TimeModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Bench rows produced by the simulator itself for a known device, with multiplicative log-normal noise. */
final class SyntheticBench {
    private SyntheticBench() {
    }

    static List<BenchRow> rows(String deviceName, Device truth, Dtype dtype, List<ModelShape> shapes, int[] prefixes,
                               double noise, long seed) {
        Random rnd = new Random(seed);
        List<BenchRow> rows = new ArrayList<>();
        for (ModelShape m : shapes) {
            for (int prefix : prefixes) {
                for (int n = 1; n <= 128; n *= 2) {
                    double s = TimeModel.time(truth, ForwardCostModel.forward(m, dtype, prefix, n), dtype).seconds();
                    double measured = s * Math.exp(noise * rnd.nextGaussian());
                    rows.add(new BenchRow(deviceName, dtype, m, prefix, n, measured * 1e3, m.parameters() * dtype.bytes(),
                            truth.copyBandwidth()));
                }
            }
        }
        return rows;
    }
}

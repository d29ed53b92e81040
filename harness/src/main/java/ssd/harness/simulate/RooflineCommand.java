package ssd.harness.simulate;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import ssd.roofline.cost.ForwardCostModel;
import ssd.roofline.cost.Workload;
import ssd.roofline.device.Device;
import ssd.roofline.device.Roofline;
import ssd.common.AtomicFiles;
import ssd.roofline.predict.Estimate;
import ssd.roofline.predict.MethodPrediction;
import ssd.roofline.predict.MethodPredictor;
import ssd.roofline.predict.Scenario;
import ssd.roofline.predict.WhatIf;
import ssd.roofline.report.RooflineCsv;
import ssd.roofline.report.TextTable;
import ssd.roofline.time.TimeModel;
import ssd.roofline.trace.DecodingTrace;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code ssd simulate roofline}: the data behind Figure 1. */
@Command(name = "roofline", mixinStandardHelpOptions = true,
        description = {"Write Figure 1 data (roofline and decoding points) as CSV.",
                "The device's bandwidth slope and compute ceiling, and (arithmetic intensity, achieved FLOP/s) points for",
                "oracle forwards of 1-128 tokens and for each decoding method (from --trace files, else the what-if model)."})
final class RooflineCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DeviceOptions deviceOptions;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    WhatIfOptions whatIf;

    @Option(names = "--trace", paramLabel = "FILE", description = "Decoding trace JSON (repeatable).")
    List<Path> traces = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "CSV to write (temp file, then rename).")
    Path out;

    @Override
    public void run() {
        Device device = deviceOptions.resolve();
        Scenario s = whatIf.scenario(device, modelOptions);
        List<RooflineCsv.Point> points = new ArrayList<>();
        for (int n = 1; n <= 128; n *= 2) {
            Workload w = ForwardCostModel.forward(s.oracle(), s.dtype(), s.prefixLen(), n);
            double sec = TimeModel.time(device, w, s.dtype()).seconds();
            points.add(new RooflineCsv.Point("forward n=" + n, w.arithmeticIntensity(), w.flops() / sec));
        }
        if (traces.isEmpty()) {
            for (Estimate e : List.of(WhatIf.baseline(s), WhatIf.chain(s, whatIf.chain), WhatIf.tree(s, whatIf.budget))) {
                points.add(new RooflineCsv.Point(e.method() + (e.method().equals("baseline") ? "" : " (what-if)"),
                        e.arithmeticIntensity(), e.achievedFlopsPerSecond()));
            }
        } else {
            List<DecodingTrace> all = SimulateCommand.readTraces(traces);
            MethodPredictor predictor = new MethodPredictor(device, s.options());
            for (MethodPrediction p : predictor.predictByMethod(all)) {
                points.add(new RooflineCsv.Point(p.method() + " (trace)", p.arithmeticIntensity(), p.achievedFlopsPerSecond()));
            }
        }
        Roofline roof = Roofline.of(device, s.dtype());
        AtomicFiles.writeString(out, RooflineCsv.csv(roof, s.dtype(), points));
        TextTable t = new TextTable("point", "FLOP/B", "GFLOP/s", "of_roof%", "of_peak%");
        for (RooflineCsv.Point p : points) {
            t.add(p.label(), f("%.2f", p.arithmeticIntensity()), f("%.1f", p.flopsPerSecond() / 1e9),
                    f("%.2f", 100 * p.flopsPerSecond() / roof.attainable(p.arithmeticIntensity())),
                    f("%.3f", 100 * p.flopsPerSecond() / roof.peakFlopsPerS()));
        }
        spec.commandLine().getOut().print(f("roofline of %s (%s): slope %.1f GB/s, ceiling %.1f TFLOP/s, ridge %.0f FLOP/B%n",
                device.name(), s.dtype(), roof.bandwidthBytesPerS() / 1e9, roof.peakFlopsPerS() / 1e12, roof.ridge())
                + t.render() + "wrote " + out + "\n");
        spec.commandLine().getOut().flush();
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}

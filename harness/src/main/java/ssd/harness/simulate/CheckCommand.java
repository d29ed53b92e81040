package ssd.harness.simulate;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import ssd.roofline.calibrate.BenchCsv;
import ssd.roofline.calibrate.Residuals;
import ssd.roofline.decode.DecodeCheck;
import ssd.roofline.decode.DecodeRecord;
import ssd.roofline.decode.DecodeRecords;
import ssd.roofline.decode.HostCostFit;
import ssd.roofline.device.Device;
import ssd.roofline.report.Reports;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code ssd simulate check}: predicted against measured, without fitting the device. With {@code --bench}, forward
 * times (exit 1 if a row is off by more than --target, default 25%); with {@code --results}, decoding throughput of
 * each method in bench-decode records, host time fitted to {@code --fit} records (default: the checked ones) over the
 * device's roofline (exit 1 if a method's tokens/s is off by more than --target, default 20%).
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Compare a device's predictions with measurements; exit 1 if any is off by more than --target.",
                "--bench CSV: forward times (ssd bench-forward), default target 25%%.",
                "--results JSONL: tokens/s per method of bench-decode records, the decoder's host time fitted to --fit records",
                "(default: the same records) over --device's roofline (give the device the records ran on, e.g. a calibrated",
                "machine JSON); default target 20%%."})
final class CheckCommand implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DeviceOptions deviceOptions;

    @Option(names = "--bench", paramLabel = "FILE", description = "Forward-timing CSV.")
    Path bench;

    @Option(names = "--results", paramLabel = "JSONL", arity = "1..*", description = "bench-decode records (.jsonl or .jsonl.gz).")
    List<Path> results = new ArrayList<>();

    @Option(names = "--fit", paramLabel = "JSONL", arity = "1..*",
            description = "With --results: records to fit the host time to (default: the --results records themselves).")
    List<Path> fit = new ArrayList<>();

    @Option(names = "--host-out", paramLabel = "FILE", description = "With --results: write the fitted per-kernel cost and host costs as JSON.")
    Path hostOut;

    @Option(names = "--target", paramLabel = "FRACTION", description = "Largest acceptable |error|. Default: 0.25 with --bench, 0.2 with --results.")
    Double target;

    @Override
    public Integer call() {
        if ((bench == null) == results.isEmpty()) throw new IllegalArgumentException("give either --bench CSV or --results JSONL");
        if (target != null && !(target > 0)) throw new IllegalArgumentException("--target must be > 0, got " + target);
        PrintWriter out = spec.commandLine().getOut();
        if (bench != null) {
            if (!fit.isEmpty() || hostOut != null) throw new IllegalArgumentException("--fit and --host-out go with --results, not --bench");
            double t = target == null ? 0.25 : target;
            var residuals = Residuals.of(BenchCsv.read(bench), deviceOptions.resolve());
            out.print(Reports.residuals(residuals, t));
            out.flush();
            return Residuals.maxAbs(residuals) <= t ? 0 : 1;
        }
        if (!spec.commandLine().getParseResult().hasMatchedOption("--device")) {
            throw new IllegalArgumentException("--results needs --device: the forward model of the machine the records ran on "
                    + "(e.g. results/h200/fused-kernels/h200-java-fused-graph-calibration.json)");
        }
        double t = target == null ? 0.2 : target;
        HostCostFit fitted = fitHost(deviceOptions.resolve(), fit.isEmpty() ? results : fit);
        if (hostOut != null) HostCostsJson.write(fitted, hostOut);
        List<DecodeRecord> records = DecodeRecords.readAll(results);
        DecodeCheck check = DecodeCheck.of(records, fitted.device(), fitted.host());
        out.print(check.report(t));
        if (fit.isEmpty()) out.println("(in-sample: the host time was fitted to these records; --fit FILE checks it on others)");
        if (hostOut != null) out.println("wrote " + hostOut);
        out.flush();
        return check.maxAbsError() <= t ? 0 : 1;
    }

    static HostCostFit fitHost(Device device, List<Path> files) {
        String label = files.stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(", "));
        return HostCostFit.fit(DecodeRecords.readAll(files), device, label);
    }
}

package ssd.harness.simulate;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import ssd.roofline.calibrate.BenchCsv;
import ssd.roofline.calibrate.Residuals;
import ssd.roofline.report.Reports;

import java.nio.file.Path;

/** {@code ssd simulate check}: predicted vs measured forward times for a device, without fitting anything. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Compare a device's predictions (e.g. a calibrated machine JSON) with a forward-timing CSV; exit 1 if any row is off by more than --target.")
final class CheckCommand implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DeviceOptions deviceOptions;

    @Option(names = "--bench", required = true, paramLabel = "FILE", description = "Forward-timing CSV.")
    Path bench;

    @Option(names = "--target", defaultValue = "0.25", paramLabel = "FRACTION", description = "Largest acceptable |error|. Default: ${DEFAULT-VALUE}.")
    double target;

    @Override
    public Integer call() {
        var residuals = Residuals.of(BenchCsv.read(bench), deviceOptions.resolve());
        spec.commandLine().getOut().print(Reports.residuals(residuals, target));
        spec.commandLine().getOut().flush();
        return Residuals.maxAbs(residuals) <= target ? 0 : 1;
    }
}

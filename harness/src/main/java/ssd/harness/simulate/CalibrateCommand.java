package ssd.harness.simulate;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ssd.roofline.calibrate.BenchCsv;
import ssd.roofline.calibrate.BenchRow;
import ssd.roofline.calibrate.Calibration;
import ssd.roofline.calibrate.Calibrator;
import ssd.roofline.device.DeviceCatalog;
import ssd.roofline.device.DeviceJson;
import ssd.roofline.report.Reports;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code ssd simulate calibrate}: fit this machine to the decoder's forward timings and write a machine JSON. */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Fit this machine to forward timings (ssd bench-forward CSV) and write a device JSON.",
                "Fits the achieved compute peak, kernel latency and host overhead per op, prints predicted vs measured",
                "for every row, and writes a device JSON usable as --device FILE."})
final class CalibrateCommand implements Runnable {
    static final double TARGET = 0.25;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--bench", required = true, paramLabel = "FILE", description = "Forward-timing CSV.")
    Path bench;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Machine JSON to write (temp file, then rename).")
    Path out;

    @Option(names = "--prior", paramLabel = "NAME|FILE",
            description = "Device to start from (default: guessed from the bench's device name; cpu for CPUs).")
    String prior;

    @Option(names = "--launch", defaultValue = "auto", paramLabel = "MODEL",
            description = "auto, serial or pipelined. Default: ${DEFAULT-VALUE}.")
    String launch;

    @Override
    public void run() {
        List<BenchRow> rows = BenchCsv.read(bench);
        Calibrator.Mode mode = parseMode(launch);
        Calibration c = prior == null
                ? Calibrator.fit(rows, mode, bench.getFileName().toString())
                : Calibrator.fit(rows, DeviceCatalog.resolve(prior), mode, bench.getFileName().toString());
        DeviceJson.write(c.device(), out);
        PrintWriter pw = spec.commandLine().getOut();
        pw.print(Reports.calibration(c, TARGET));
        pw.println("wrote " + out);
        pw.flush();
    }

    static Calibrator.Mode parseMode(String text) {
        try {
            return Calibrator.Mode.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--launch '" + text + "': expected auto, serial or pipelined");
        }
    }
}

package ssd.harness.simulate;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ssd.roofline.ModelShapes;
import ssd.roofline.decode.DecodeRecord;
import ssd.roofline.decode.DecodeRecords;
import ssd.roofline.decode.HostCostFit;
import ssd.roofline.decode.ImplementationProfile;
import ssd.roofline.decode.PredictedRatios;
import ssd.roofline.device.DeviceCatalog;
import ssd.roofline.report.TextTable;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ssd simulate predict}: each method's decoding throughput on the RTX 4090 from the acceptance recorded in
 * bench-decode records, under the "paper" (eager PyTorch, anchored to the paper's 150 tokens/s) and "ours" (our
 * kernels and host costs on the 4090's bandwidth) profiles.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Predict tokens/s per method and sampling mode on the RTX 4090 from bench-decode records' acceptance,",
                "for the 'paper' (eager PyTorch anchored to the paper's 150 tokens/s GPT-2-L baseline) and 'ours' (our fitted",
                "per-kernel and host costs on the 4090's bandwidth and FLOPs) profiles. Prompt forwards are left out."})
final class PredictCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--results", required = true, paramLabel = "JSONL", arity = "1..*", description = "bench-decode records whose traces are replayed.")
    List<Path> results = new ArrayList<>();

    @Option(names = "--device", paramLabel = "NAME|FILE",
            description = "The forward model of the machine the --fit records ran on (e.g. a calibrated machine JSON); needed unless --host gives the fit.")
    String device;

    @Option(names = "--fit", paramLabel = "JSONL", arity = "1..*", description = "Records to fit our host time to (default: the --results records).")
    List<Path> fit = new ArrayList<>();

    @Option(names = "--host", paramLabel = "FILE", description = "A fit written by ssd simulate check --host-out, instead of fitting.")
    Path host;

    @Option(names = "--oracle", paramLabel = "CONFIG", description = "Replay with this oracle shape instead of the records' (e.g. gpt2-large).")
    String oracle;

    @Option(names = "--draft", paramLabel = "CONFIG", description = "Replay with this draft shape instead of the records' (e.g. 4x512).")
    String draft;

    @Override
    public void run() {
        if ((host == null) == (device == null)) throw new IllegalArgumentException("give --device (to fit the host time) or --host FILE (a fit), not both");
        if (host != null && !fit.isEmpty()) throw new IllegalArgumentException("--fit fits the host time; --host gives it: use one");
        HostCostFit ours = host != null ? HostCostsJson.read(host) : CheckCommand.fitHost(DeviceCatalog.resolve(device), fit.isEmpty() ? results : fit);
        List<DecodeRecord> records = DecodeRecords.readAll(results);
        PredictedRatios.Shapes shapes = new PredictedRatios.Shapes(oracle == null ? null : ModelShapes.resolve(oracle),
                draft == null ? null : ModelShapes.resolve(draft));
        PrintWriter out = spec.commandLine().getOut();
        out.println("our fit: " + ours.host().source());
        for (ImplementationProfile p : List.of(ImplementationProfile.paper(ours.host()), ImplementationProfile.ours(ours.device(), ours.host()))) {
            PredictedRatios r = PredictedRatios.of(records, p, shapes);
            out.println();
            out.println("profile " + p.name() + " on " + p.device().name() + ": " + p.source());
            TextTable t = new TextTable("sampling", "method", "runs", "tokens", "tok/s", "vs baseline");
            for (PredictedRatios.Row row : r.rows()) {
                t.add(row.sampling(), row.method().label() + (row.implied() ? " (implied)" : ""), row.runs(), row.tokens(),
                        String.format(Locale.ROOT, "%.0f", row.tokensPerSecond()), String.format(Locale.ROOT, "%.2fx", row.relativeToBaseline()));
            }
            out.print(t.render());
        }
        out.flush();
    }
}

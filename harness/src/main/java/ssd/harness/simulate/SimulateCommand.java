package ssd.harness.simulate;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import ssd.common.Dtype;
import ssd.roofline.ModelShape;
import ssd.roofline.device.Device;
import ssd.roofline.predict.MethodPrediction;
import ssd.roofline.predict.MethodPredictor;
import ssd.roofline.predict.PredictOptions;
import ssd.roofline.report.Reports;
import ssd.roofline.trace.DecodingTrace;
import ssd.roofline.trace.Method;
import ssd.roofline.trace.TraceJson;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code ssd simulate}: what a forward and a decoding run cost on a device, from the roofline simulator. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Predict forward and decoding cost on a device with the analytical roofline simulator.",
                "Without a subcommand: a table of forwards over 1-128 new tokens, and, with --trace, method-level predictions."},
        subcommands = {CalibrateCommand.class, CheckCommand.class, PredictCommand.class, RooflineCommand.class, SweepCommand.class, DevicesCommand.class})
public final class SimulateCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DeviceOptions deviceOptions;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--trace", paramLabel = "FILE", description = "Decoding trace JSON (repeatable; a file may hold an array of traces).")
    List<Path> traces = new ArrayList<>();

    @Option(names = "--new-tokens", split = ",", defaultValue = "1,2,4,8,16,32,64,128", paramLabel = "N,...",
            description = "Batch sizes for the forward table. Default: ${DEFAULT-VALUE}.")
    List<Integer> newTokens;

    @Option(names = "--kernels", description = "Also print the per-kernel breakdown of a 1-token forward.")
    boolean kernels;

    @Option(names = "--ngram-us", defaultValue = "10", paramLabel = "US",
            description = "Host time per n-gram query in a trace (microseconds). Default: ${DEFAULT-VALUE} (the paper's bound).")
    double ngramUs;

    @Override
    public void run() {
        Device device = deviceOptions.resolve();
        Dtype dtype = modelOptions.dtypeValue();
        ModelShape oracle = modelOptions.shape();
        PrintWriter out = spec.commandLine().getOut();
        out.print(Reports.device(device, dtype));
        out.print(Reports.forwards(device, oracle, dtype, modelOptions.prefixValue(), newTokens));
        if (kernels) out.print("\n" + Reports.kernels(device, oracle, dtype, modelOptions.prefixValue(), 1));
        if (!traces.isEmpty()) out.print("\n" + methodTable(device, readTraces(traces), predictOptions(ngramUs)));
        out.flush();
    }

    static PredictOptions predictOptions(double ngramUs) {
        if (!(ngramUs >= 0)) throw new IllegalArgumentException("--ngram-us must be >= 0, got " + ngramUs);
        return new PredictOptions(ngramUs * 1e-6, true);
    }

    static List<DecodingTrace> readTraces(List<Path> files) {
        List<DecodingTrace> all = new ArrayList<>();
        for (Path f : files) all.addAll(TraceJson.read(f));
        return all;
    }

    /** Predictions per method; speedups are against the baseline trace, or the implied baseline of the first method's runs. */
    static String methodTable(Device device, List<DecodingTrace> traces, PredictOptions options) {
        MethodPredictor predictor = new MethodPredictor(device, options);
        List<MethodPrediction> predictions = predictor.predictByMethod(traces);
        MethodPrediction baseline = predictions.stream().filter(p -> p.method().equals(Method.BASELINE.label())).findFirst().orElse(null);
        List<MethodPrediction> rows = new ArrayList<>(predictions);
        String note = "";
        if (baseline == null) {
            Method first = traces.get(0).method();
            List<MethodPrediction> implied = new ArrayList<>();
            for (DecodingTrace t : traces) if (t.method() == first) implied.add(predictor.predict(t.baselineEquivalent()));
            MethodPrediction b = MethodPrediction.sum(implied);
            baseline = new MethodPrediction("baseline (implied)", b.device(), b.generatedTokens(), b.oracleCalls(),
                    b.oracleSeconds(), b.draftSeconds(), b.ngramSeconds(), b.flops(), b.dramBytes(), b.weightBytes());
            rows.add(0, baseline);
            note = "(no baseline trace: the implied baseline decodes the same prompts and lengths one token at a time)\n";
        }
        return "method-level prediction on " + device.name() + ":\n" + Reports.methods(rows, baseline) + note;
    }
}

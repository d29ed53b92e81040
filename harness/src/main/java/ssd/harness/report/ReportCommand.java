package ssd.harness.report;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ssd report}: one self-contained HTML page (DIR/index.html) with the paper comparison, Tables 1-2, Figures 1-3
 * (charts as SVG and PNG), greedy exactness and the provenance of every input, plus the tables as Markdown and CSV.
 * The work is in {@link Report}; this class holds only the options (plain types, so the command line starts without
 * the plotting libraries, which the GPU bundle leaves out).
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write DIR/index.html: the paper's Tables 1-2 beside our predictions and measurements, our Tables 1-2, Figures 1-3, "
                + "greedy exactness and the provenance of every input file.")
public final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--results", required = true, paramLabel = "JSONL", arity = "1..*",
            description = "bench-decode results (.jsonl or .jsonl.gz; repeat for several, e.g. greedy and top-k)")
    List<Path> results = new ArrayList<>();

    @Option(names = "--forward", paramLabel = "CSV", arity = "1..*", description = "bench-forward CSVs for Figure 1 (roofline)")
    List<Path> forward = new ArrayList<>();

    @Option(names = "--peak-tflops", paramLabel = "[MATCH=]T", description = "peak TFLOP/s for Figure 1's rooflines, as for ssd figures")
    List<String> peakTflops = new ArrayList<>();

    @Option(names = "--task", paramLabel = "ID", description = "the task whose staged run Figure 3 shows (default: the staged run with the highest speedup)")
    String task;

    @Option(names = "--profile", paramLabel = "NAME=DEVICE",
            description = "an implementation profile to predict the paper's card for (repeatable): NAME=DEVICE, DEVICE a roofline-sim catalog "
                    + "name or device JSON file. Default: paper=rtx4090 (the paper's eager PyTorch) and ours (our decoder's CUDA-graph replay on "
                    + "the RTX 4090)")
    List<String> profiles = new ArrayList<>();

    @Option(names = "--predictions", paramLabel = "JSON",
            description = "take the predicted columns from this file instead of replaying the runs' traces (format in docs/report.md)")
    Path predictions;

    @Option(names = "--peer-exactness", paramLabel = "JSON",
            description = "cross-implementation exactness results (e.g. against Hugging Face transformers), shown as recorded")
    Path peerExactness;

    @Option(names = "--title", paramLabel = "TEXT", defaultValue = "Staged speculative decoding: the paper's claims, checked",
            description = "the page's title. Default: ${DEFAULT-VALUE}")
    String title;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "directory to write index.html and its files into")
    Path out;

    @Override
    public Integer call() {
        Report.Options options = new Report.Options(results, forward, peakTflops, task, profiles, predictions, peerExactness, title, out);
        Report.write(options, spec.commandLine().getOut());
        return 0;
    }
}

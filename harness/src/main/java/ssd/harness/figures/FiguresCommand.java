package ssd.harness.figures;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import ssd.decoder.tokenizer.Gpt2Tokenizer;
import ssd.figures.FigureLabels;
import ssd.figures.ForwardCsv;
import ssd.figures.ForwardPoint;
import ssd.figures.PeakTflops;
import ssd.figures.PromptSpeedup;
import ssd.figures.ProvenanceFigure;
import ssd.figures.RooflineFigure;
import ssd.figures.SpeedupFigure;
import ssd.figures.Speedups;
import ssd.figures.StagedRunChoice;
import ssd.figures.TokenPiece;
import ssd.figures.TokenPieces;
import ssd.roofline.device.DeviceCatalog;
import ssd.roofline.device.Roofline;
import ssd.tables.DecodeJsonl;
import ssd.tables.DecodeRun;
import ssd.tables.Sampling;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code ssd figures}: the paper's Figures 1-3 as PNG from recorded results. Figure 1 (roofline) from
 * {@code bench-forward} CSVs; Figure 2 (per-prompt speedups, one PNG per sampling mode) and Figure 3 (a staged
 * completion coloured by token origin) from {@code bench-decode} JSONL. Each PNG is written to a temporary file and
 * renamed.
 */
@Command(name = "figures", mixinStandardHelpOptions = true,
        description = "Draw Figures 1-3 (roofline, per-prompt speedups, token provenance) as PNG from recorded results.")
public final class FiguresCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--forward", paramLabel = "CSV", arity = "1..*", description = "bench-forward CSVs for Figure 1 (figure1-roofline.png)")
    List<Path> forward = new ArrayList<>();

    @Option(names = "--intensity", paramLabel = "CSV", arity = "1..*",
            description = "ssd check intensity CSVs: Figure 1 also draws each --forward point at the intensity Nsight Compute measured")
    List<Path> intensity = new ArrayList<>();

    @Option(names = "--results", paramLabel = "JSONL", arity = "1..*",
            description = "bench-decode JSONL for Figure 2 (figure2a-greedy.png, figure2b-topk.png) and Figure 3 (figure3-provenance.png)")
    List<Path> results = new ArrayList<>();

    @Option(names = "--task", paramLabel = "ID", description = "the task whose staged run Figure 3 shows (default: the staged run with the highest speedup)")
    String task;

    // Kept as strings and parsed in call(): a bad value then ends in one line (OneLineErrors), not picocli's usage dump.
    @Option(names = "--peak-tflops", paramLabel = "[MATCH=]T",
            description = "peak TFLOP/s for the rooflines of Figure 1: T for every device in --forward, or MATCH=T (repeatable) for the "
                    + "devices whose name contains MATCH, case-insensitive (e.g. --peak-tflops h200=989 --peak-tflops xeon=3.1); "
                    + "a device that no MATCH=T names takes T, else, if it is a GPU of the simulator's device catalog ("
                    + DeviceCatalog.NAMED_GPUS + "), the catalog's dense fp16 peak (989.4 for an H200), else needs one. "
                    + "Every value must apply to some device")
    List<String> peakTflops = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "directory to write the PNGs into")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
        if (forward.isEmpty() && results.isEmpty()) throw new IllegalArgumentException("nothing to draw: give --forward CSV and/or --results JSONL");
        if (task != null && results.isEmpty()) throw new IllegalArgumentException("--task needs --results");
        PeakTflops peaks = PeakTflops.parse(peakTflops);
        if (!peaks.isEmpty() && forward.isEmpty()) throw new IllegalArgumentException("--peak-tflops needs --forward (it sets Figure 1's rooflines)");
        PrintWriter stdout = spec.commandLine().getOut();

        // Read and check everything before writing anything.
        List<ForwardPoint> points = new ArrayList<>();
        for (Path f : forward) points.addAll(ForwardCsv.read(f));
        Map<String, Roofline> rooflines = points.isEmpty() ? Map.of() : peaks.rooflines(points);
        if (!intensity.isEmpty() && forward.isEmpty()) throw new IllegalArgumentException("--intensity needs --forward (the times of the forwards it measured)");
        List<ssd.figures.MeasuredIntensity> measured = new ArrayList<>();
        for (Path f : intensity) measured.addAll(ssd.figures.MeasuredIntensity.read(f));
        List<DecodeRun> runs = new ArrayList<>();
        for (Path f : results) runs.addAll(DecodeJsonl.read(f));
        Map<Sampling, Map<String, List<PromptSpeedup>>> speedups = Speedups.of(runs);
        if (!runs.isEmpty() && speedups.isEmpty())
            throw new IllegalArgumentException("--results: no prompt has both a baseline run and a speculative or staged run");
        Optional<DecodeRun> staged = runs.isEmpty() ? Optional.empty() : StagedRunChoice.choose(runs, task);

        List<Path> written = new ArrayList<>();
        if (!points.isEmpty()) {
            Path f = out.resolve("figure1-roofline.png");
            RooflineFigure.write(points, rooflines, measured, f);
            long drawn = points.stream().filter(p -> measured.stream().anyMatch(m -> m.matches(p))).count();
            if (!measured.isEmpty()) stdout.printf(Locale.ROOT, "figure 1: %d of %d forwards also at their measured intensity%n", drawn, points.size());
            written.add(f);
            for (Roofline r : rooflines.values())
                stdout.printf(Locale.ROOT, "roofline %s: %.0f GB/s (median copy bandwidth), %s TFLOP/s peak, ridge at %.0f FLOP/byte%n",
                        r.hardware(), r.bandwidthBytesPerS() / 1e9, r.peakTflopsText(), r.ridge());
        }
        long topkModes = speedups.keySet().stream().filter(s -> !s.greedy()).count();
        for (Map.Entry<Sampling, Map<String, List<PromptSpeedup>>> e : speedups.entrySet()) {
            Sampling s = e.getKey();
            String name = s.greedy() ? "figure2a-greedy.png"
                    : topkModes == 1 ? "figure2b-topk.png"
                    : String.format(Locale.ROOT, "figure2b-topk%d-t%s.png", s.topK(), s.temperature());
            Path f = out.resolve(name);
            SpeedupFigure.write("Figure 2" + (s.greedy() ? "a" : "b") + ": relative throughput per prompt ("
                    + FigureLabels.sampling(s) + ")", e.getValue(), f);
            written.add(f);
        }
        if (staged.isPresent()) {
            DecodeRun run = staged.get();
            List<TokenPiece> pieces = TokenPieces.of(run, Gpt2Tokenizer.get()::tokenBytes);
            if (!TokenPieces.text(pieces).equals(run.text()))
                stdout.println("note: the tokens of " + run.taskId() + " decode to other text than its 'text' field; drawing the tokens");
            double speedup = StagedRunChoice.speedup(runs, run);
            String mode = FigureLabels.sampling(run.sampling()), setup = FigureLabels.setup(run);
            String title = String.format(Locale.ROOT, "Figure 3: %s, staged, %s, %s%s", run.taskId(), mode, setup,
                    Double.isNaN(speedup) ? "" : String.format(Locale.ROOT, ", %.2fx baseline", speedup));
            Path f = out.resolve("figure3-provenance.png");
            ProvenanceFigure.write(pieces, title, f);
            written.add(f);
            stdout.println("figure 3 shows " + run.taskId() + " (" + mode + ", " + setup + ")");
        }
        for (Path f : written) stdout.println("wrote " + f);
        stdout.flush();
        return 0;
    }
}

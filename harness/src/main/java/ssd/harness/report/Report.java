package ssd.harness.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ssd.common.MachineInfo;
import ssd.decoder.tokenizer.Gpt2Tokenizer;
import ssd.figures.FigureFile;
import ssd.figures.FigureFiles;
import ssd.figures.FigureLabels;
import ssd.figures.ForwardCsv;
import ssd.figures.ForwardPoint;
import ssd.figures.PeakTflops;
import ssd.figures.PromptSpeedup;
import ssd.figures.Speedups;
import ssd.figures.StagedRunChoice;
import ssd.figures.TokenPiece;
import ssd.figures.TokenPieces;
import ssd.harness.results.Invocation;
import ssd.harness.results.Provenance;
import ssd.harness.results.ResultFiles;
import ssd.roofline.device.Roofline;
import ssd.tables.ComparisonCsv;
import ssd.tables.ComparisonMarkdown;
import ssd.tables.CsvTables;
import ssd.tables.DecodeResults;
import ssd.tables.DecodeRun;
import ssd.tables.GreedyExactness;
import ssd.tables.MarkdownTables;
import ssd.tables.PaperComparison;
import ssd.tables.PaperTables;
import ssd.tables.PredictionsJson;
import ssd.tables.Predictor;
import ssd.tables.Sampling;
import ssd.tables.SourceFile;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Builds the report: reads and checks every input first, then writes the tables, the figures and last index.html,
 * each file atomically (so a failure leaves no half-written file, and no page that links to a missing figure).
 */
final class Report {
    /** The command line's choices, as plain values. */
    record Options(List<Path> results, List<Path> forward, List<String> peakTflops, String task, List<String> profiles, Path predictions,
                   Path peerExactness, String title, Path out) {
        Options {
            results = List.copyOf(results);
            forward = List.copyOf(forward);
            peakTflops = List.copyOf(peakTflops);
            profiles = List.copyOf(profiles);
            if (results.isEmpty()) throw new IllegalArgumentException("--results: give at least one bench-decode JSONL file");
            if (predictions != null && !profiles.isEmpty())
                throw new IllegalArgumentException("--predictions and --profile both choose the predicted columns: give one");
            if (!peakTflops.isEmpty() && forward.isEmpty()) throw new IllegalArgumentException("--peak-tflops needs --forward (it sets Figure 1's rooflines)");
            if (out == null) throw new IllegalArgumentException("--out is required");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private Report() {
    }

    static void write(Options o, PrintWriter stdout) {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
        // Read and check everything before writing anything.
        DecodeResults loaded = DecodeResults.load(o.results());
        List<DecodeRun> runs = loaded.runs();
        PaperTables tables = PaperTables.of(runs);
        Predictor predictor = o.predictions() != null ? PredictionsJson.read(o.predictions()) : new TracePredictor(ImplementationProfiles.parse(o.profiles()));
        PaperComparison comparison = PaperComparison.of(runs, predictor);
        List<GreedyExactness.Row> exactness = GreedyExactness.of(runs);
        List<ForwardPoint> points = new ArrayList<>();
        for (Path f : o.forward()) points.addAll(ForwardCsv.read(f));
        Map<String, Roofline> rooflines = points.isEmpty() ? Map.of() : PeakTflops.parse(o.peakTflops()).rooflines(points);
        Map<Sampling, Map<String, List<PromptSpeedup>>> speedups = Speedups.of(runs);
        Optional<DecodeRun> staged = StagedRunChoice.choose(runs, o.task());
        String peerJson = o.peerExactness() == null ? null : prettyJson(o.peerExactness());

        List<SourceProvenance> sources = new ArrayList<>();
        for (Path f : o.results()) sources.add(SourceProvenance.of(f, "bench-decode results: tables, Figures 2-3, exactness"));
        for (Path f : o.forward()) sources.add(SourceProvenance.of(f, "bench-forward timings: Figure 1"));
        if (o.predictions() != null) sources.add(SourceProvenance.of(o.predictions(), "predictions: the paper comparison's predicted columns"));
        if (o.peerExactness() != null) sources.add(SourceProvenance.of(o.peerExactness(), "cross-implementation exactness"));

        Path out = o.out();
        String machines = loaded.sources().stream().flatMap(s -> s.devices().stream()).distinct().collect(Collectors.joining(" / "));
        Provenance derived = Provenance.of(Invocation.get(), "derived from runs on " + machines);
        try {
            ResultFiles.writeAtomically(out.resolve("table1.md"), MarkdownTables.table1(tables, loaded.sources()).getBytes(StandardCharsets.UTF_8));
            ResultFiles.writeAtomically(out.resolve("table2.md"), MarkdownTables.table2(tables, loaded.sources()).getBytes(StandardCharsets.UTF_8));
            ResultFiles.write(out.resolve("tables.csv"), CsvTables.csv(tables.combined()), derived);
            ResultFiles.writeAtomically(out.resolve("paper-comparison.md"),
                    ComparisonMarkdown.render(comparison, loaded.sources()).getBytes(StandardCharsets.UTF_8));
            ResultFiles.write(out.resolve("paper-comparison.csv"), ComparisonCsv.csv(comparison), derived);
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": cannot write the tables (" + e.getMessage() + ")", e);
        }
        FigureFile roofline = points.isEmpty() ? null : FigureFiles.roofline(points, rooflines, out);
        List<FigureFile> speedupFiles = FigureFiles.speedups(speedups, out);
        FigureFile provenanceFigure = null;
        List<TokenPiece> pieces = List.of();
        if (staged.isPresent()) {
            DecodeRun run = staged.get();
            pieces = TokenPieces.of(run, Gpt2Tokenizer.get()::tokenBytes);
            double speedup = StagedRunChoice.speedup(runs, run);
            String title = String.format(Locale.ROOT, "Figure 3: %s, staged, %s, %s%s", run.taskId(), FigureLabels.sampling(run.sampling()),
                    FigureLabels.setup(run), Double.isNaN(speedup) ? "" : String.format(Locale.ROOT, ", %.2fx baseline", speedup));
            provenanceFigure = FigureFiles.provenance(pieces, title, out);
        }
        Provenance generated = Provenance.of(Invocation.get(), MachineInfo.cpuName());
        ReportContent content = new ReportContent(o.title(), comparison, MarkdownTables.table1Grid(tables), MarkdownTables.table2Grid(tables),
                roofline, speedupFiles, provenanceFigure, pieces, exactness, o.peerExactness() == null ? null : sources.get(sources.size() - 1),
                peerJson, sources, generated);
        Path index = out.resolve("index.html");
        try {
            ResultFiles.write(index, ReportPage.html(content), generated);
        } catch (IOException e) {
            throw new UncheckedIOException(index + ": cannot write (" + e.getMessage() + ")", e);
        }
        stdout.println("wrote " + index + " from " + runs.size() + " runs in " + loaded.sources().stream().map(SourceFile::path).map(Path::toString)
                .collect(Collectors.joining(", ")) + " (" + (speedupFiles.size() + (roofline == null ? 0 : 1)) + " charts as SVG and PNG"
                + (provenanceFigure == null ? "" : ", Figure 3 as PNG and text") + ")");
        stdout.flush();
    }

    private static String prettyJson(Path file) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("--peer-exactness " + file + ": no such file");
        try {
            JsonNode n = JSON.readTree(Files.readString(file));
            if (n == null || n.isMissingNode()) throw new IllegalArgumentException("--peer-exactness " + file + ": empty, expected JSON");
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("--peer-exactness " + file + ": not valid JSON (" + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException("--peer-exactness " + file + ": cannot read (" + e.getMessage() + ")");
        }
    }
}

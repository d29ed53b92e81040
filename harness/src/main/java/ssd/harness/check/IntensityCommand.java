package ssd.harness.check;

import org.bytedeco.pytorch.global.torch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ssd.harness.results.Invocation;
import ssd.harness.results.Provenance;
import ssd.harness.results.ResultFiles;
import ssd.common.Dtype;
import ssd.roofline.ModelShape;
import ssd.roofline.ModelShapes;
import ssd.roofline.cost.ForwardImpl;
import ssd.roofline.ncu.IntensityComparison;
import ssd.roofline.ncu.IntensityRow;
import ssd.roofline.ncu.NcuCsv;
import ssd.roofline.ncu.NcuKernel;
import ssd.roofline.ncu.NcuMetrics;
import ssd.roofline.ncu.ProfiledForwards;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code ssd check intensity}: runs {@code ssd check intensity-probe} under Nsight Compute ({@code ncu}) and compares
 * the DRAM bytes and FLOPs its counters saw with the roofline simulator's, per forward and kernel group; with
 * {@code --decode}, the DRAM bytes per generated token of each method against the decoder's own accounting. Writes a
 * CSV (with a provenance sidecar) and exits 1 when a forward's measured intensity, or a method's bytes per token, is
 * off by more than --target; 2 when this machine has no ncu or no CUDA device.
 */
@Command(name = "intensity", mixinStandardHelpOptions = true,
        description = {"Measure DRAM bytes and FLOPs of forwards (or decoding runs) with Nsight Compute and compare them with the",
                "simulator's; exit 1 beyond --target, 2 without ncu or CUDA."})
public final class IntensityCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--ncu", defaultValue = "ncu", paramLabel = "PATH", description = "Nsight Compute's command line (default: ncu on PATH)")
    String ncu;

    @Option(names = "--shape", split = ",", paramLabel = "LxDxH", description = "random-weight model shapes (default: 36x1280x20,4x512x8: GPT-2-L and the paper's draft)")
    List<String> shapes = new ArrayList<>();

    @Option(names = "--model", paramLabel = "DIR", description = "checkpoint(s) instead of --shape (repeatable); with --decode, the oracle")
    List<Path> models = new ArrayList<>();

    @Option(names = "--modes", split = ",", defaultValue = "cuda-graph+fused,cuda-graph+aten,eager",
            description = "forward modes: eager, static+aten, static+fused, cuda-graph+aten, cuda-graph+fused (default: ${DEFAULT-VALUE})")
    List<String> modes;

    @Option(names = "--new-tokens", split = ",", defaultValue = "1,2,4,8,16,32,64,128", description = "batch sizes (default: ${DEFAULT-VALUE})")
    int[] newTokens;

    @Option(names = "--prefix", defaultValue = "128", description = "KV prefix (default: ${DEFAULT-VALUE})")
    int prefix;

    @Option(names = "--dtype", defaultValue = "fp16", description = "default: ${DEFAULT-VALUE}")
    String dtype;

    @Option(names = "--metrics", defaultValue = "full", description = "full (bytes and FLOP counters) or bytes (one replay pass per kernel, faster)")
    String metrics;

    @Option(names = "--flops-per-tensor-op", defaultValue = "1", description = "FLOPs per count of sm__ops_path_tensor_* (default: ${DEFAULT-VALUE})")
    double flopsPerTensorOp;

    @Option(names = "--decode", description = "bytes per generated token of each method (needs --model, --draft, --ngram, --prompt-tokens)")
    boolean decode;

    @Option(names = "--draft", paramLabel = "DIR")
    Path draft;

    @Option(names = "--ngram", paramLabel = "FILE")
    Path ngram;

    @Option(names = "--prompt-tokens", split = ",")
    int[] promptTokens;

    @Option(names = "--tokens", defaultValue = "32", description = "--decode: tokens per measured run (default: ${DEFAULT-VALUE})")
    int tokens;

    @Option(names = "--methods", split = ",", defaultValue = "baseline,speculative,staged")
    List<String> methods;

    @Option(names = "--target", defaultValue = "0.15", description = "largest acceptable |error| (default: ${DEFAULT-VALUE})")
    double target;

    @Option(names = "--out", required = true, paramLabel = "CSV")
    Path out;

    @Override
    public Integer call() throws Exception {
        List<String> metricList = switch (metrics) {
            case "full" -> NcuMetrics.FULL;
            case "bytes" -> NcuMetrics.BYTES;
            default -> throw new IllegalArgumentException("--metrics '" + metrics + "': expected full or bytes");
        };
        Dtype dt = Dtype.parse(dtype);
        if (!(target > 0)) throw new IllegalArgumentException("--target must be > 0, got " + target);
        for (String m : modes) Mode.parse(m);
        PrintWriter err = spec.commandLine().getErr();
        String ncuPath = findOnPath(ncu);
        if (ncuPath == null) {
            err.println("ssd check intensity: no Nsight Compute here ('" + ncu + "' is not an executable file or on PATH); run it on a CUDA host with ncu");
            return 2;
        }
        if (!torch.cuda_is_available()) {
            err.println("ssd check intensity: libtorch sees no CUDA device here; run it from the GPU bundle on a CUDA host");
            return 2;
        }
        return decode ? decodeCheck(ncuPath, metricList) : forwardCheck(ncuPath, metricList, dt);
    }

    /** A forward mode as the probe runs it and the simulator costs it. */
    record Mode(String label, String forwardMode, String kernels, ForwardImpl impl) {
        static Mode parse(String text) {
            return switch (text) {
                case "eager" -> new Mode(text, "eager", "aten", ForwardImpl.EAGER_ATEN);
                case "static+aten" -> new Mode(text, "static", "aten", ForwardImpl.STATIC_ATEN);
                case "static+fused" -> new Mode(text, "static", "fused", ForwardImpl.STATIC_FUSED);
                case "cuda-graph+aten" -> new Mode(text, "cuda-graph", "aten", ForwardImpl.STATIC_ATEN);
                case "cuda-graph+fused" -> new Mode(text, "cuda-graph", "fused", ForwardImpl.STATIC_FUSED);
                default -> throw new IllegalArgumentException("--modes '" + text + "': expected eager, static+aten, static+fused, cuda-graph+aten or cuda-graph+fused");
            };
        }
    }

    static final String HEADER = "device,dtype,model,mode,rows,prefix,group,kernels,dram_read_bytes,dram_write_bytes,counted_flops,"
            + "model_flops,model_bytes,measured_intensity,predicted_intensity,intensity_error,executed_over_model_flops";

    private int forwardCheck(String ncuPath, List<String> metricList, Dtype dt) throws IOException, InterruptedException {
        List<String[]> sources = new ArrayList<>();
        for (Path m : models) sources.add(new String[]{"--model", m.toString()});
        List<String> shapeList = shapes.isEmpty() && models.isEmpty() ? List.of("36x1280x20", "4x512x8") : shapes;
        for (String s : shapeList) {
            String[] p = s.split("x");
            if (p.length != 3) throw new IllegalArgumentException("--shape '" + s + "': expected LAYERSxWIDTHxHEADS, e.g. 36x1280x20");
            sources.add(new String[]{"--layers", p[0], "--embd", p[1], "--heads", p[2]});
        }
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        PrintWriter stdout = spec.commandLine().getOut();
        boolean pass = true;
        String machine = "";
        for (String[] src : sources) {
            for (String modeText : modes) {
                Mode mode = Mode.parse(modeText);
                List<String> probe = new ArrayList<>(List.of("check", "intensity-probe", "--device", "cuda", "--dtype", dtype,
                        "--forward-mode", mode.forwardMode(), "--kernels", mode.kernels(), "--prefix", Integer.toString(prefix),
                        "--new-tokens", Arrays.stream(newTokens).mapToObj(Integer::toString).collect(Collectors.joining(","))));
                probe.addAll(List.of(src));
                stdout.printf(Locale.ROOT, "profiling %s, %s ...%n", String.join(" ", src), mode.label());
                stdout.flush();
                Run run = profile(ncuPath, metricList, probe);
                machine = run.machine();
                ModelShape shape = run.shape() != null ? run.shape() : shapeOf(src);
                List<List<NcuKernel>> forwards = ProfiledForwards.split(run.kernels(), newTokens.length, run.where());
                String device = mode.forwardMode().equals("eager") ? machine : machine + " [" + mode.label().replace("+aten", "") + "]";
                for (int i = 0; i < newTokens.length; i++) {
                    var predicted = mode.impl().forward(shape, dt, prefix, newTokens[i]);
                    List<IntensityRow> rows = IntensityComparison.compare(forwards.get(i), predicted, flopsPerTensorOp);
                    IntensityRow total = rows.get(rows.size() - 1);
                    boolean ok = IntensityComparison.passes(total, target);
                    pass &= ok;
                    stdout.printf(Locale.ROOT, "  %-16s %3d rows: %5d kernels, DRAM %.1f MB (model %.1f), intensity %.3g measured / %.3g predicted (%+.1f%%), executed/model FLOPs %s %s%n",
                            mode.label(), newTokens[i], total.kernels(), total.measuredBytes() / 1e6, total.predictedBytes() / 1e6,
                            total.measuredIntensity(), total.predictedIntensity(), 100 * total.intensityError(),
                            Double.isNaN(total.executedOverModelFlops()) ? "-" : String.format(Locale.ROOT, "%.2f", total.executedOverModelFlops()),
                            ok ? "ok" : "OFF");
                    for (IntensityRow r : rows) {
                        csv.append(String.format(Locale.ROOT, "\"%s\",%s,%s,%s,%d,%d,%s,%d,%.0f,%.0f,%s,%.0f,%.0f,%.6g,%.6g,%.4f,%s%n",
                                device.replace("\"", "'"), dt.flagName(), shape.nLayer() + "L d" + shape.nEmbd(), mode.label(), newTokens[i], prefix, r.group(), r.kernels(),
                                r.measuredRead(), r.measuredWrite(), Double.isNaN(r.countedFlops()) ? "" : String.format(Locale.ROOT, "%.0f", r.countedFlops()),
                                r.predictedFlops(), r.predictedBytes(), r.measuredIntensity(), r.predictedIntensity(), r.intensityError(),
                                Double.isNaN(r.executedOverModelFlops()) ? "" : String.format(Locale.ROOT, "%.4f", r.executedOverModelFlops())));
                    }
                }
            }
        }
        ResultFiles.write(out, csv.toString(), Provenance.of(Invocation.get(), machine));
        stdout.printf(Locale.ROOT, "%s (target %.0f%%); wrote %s%n", pass ? "every forward within target" : "some forward OFF target", 100 * target, out);
        stdout.flush();
        return pass ? 0 : 1;
    }

    private int decodeCheck(String ncuPath, List<String> metricList) throws IOException, InterruptedException {
        if (models.size() != 1 || promptTokens == null) throw new IllegalArgumentException("--decode needs one --model DIR (the oracle) and --prompt-tokens");
        List<String> probe = new ArrayList<>(List.of("check", "intensity-probe", "--decode", "--device", "cuda", "--dtype", dtype,
                "--forward-mode", "cuda-graph", "--model", models.get(0).toString(), "--tokens", Integer.toString(tokens),
                "--methods", String.join(",", methods), "--prompt-tokens",
                Arrays.stream(promptTokens).mapToObj(Integer::toString).collect(Collectors.joining(","))));
        if (draft != null) probe.addAll(List.of("--draft", draft.toString()));
        if (ngram != null) probe.addAll(List.of("--ngram", ngram.toString()));
        PrintWriter stdout = spec.commandLine().getOut();
        Run run = profile(ncuPath, metricList, probe);
        List<List<NcuKernel>> stretches = ProfiledForwards.split(run.kernels(), 2 * methods.size(), run.where());
        if (run.decodes().size() != 2 * methods.size()) throw new IllegalStateException(run.where() + ": the probe reported " + run.decodes().size() + " runs, expected " + 2 * methods.size());
        StringBuilder csv = new StringBuilder("device,method,tokens,dram_bytes,accounted_bytes,dram_bytes_per_token,accounted_bytes_per_token,error\n");
        boolean pass = true;
        for (int i = 0; i < methods.size(); i++) {
            long[] a = run.decodes().get(2 * i), b = run.decodes().get(2 * i + 1);
            double dram = dram(stretches.get(2 * i)) - dram(stretches.get(2 * i + 1));
            long tokensDiff = a[0] - b[0], accounted = a[1] - b[1];
            double measuredPerToken = dram / tokensDiff, accountedPerToken = (double) accounted / tokensDiff, error = accountedPerToken / measuredPerToken - 1;
            boolean ok = Math.abs(error) <= target;
            pass &= ok;
            stdout.printf(Locale.ROOT, "  %-12s %d tokens: DRAM %.2f MB/token measured, %.2f MB/token accounted by the decoder (%+.1f%%) %s%n",
                    methods.get(i), tokensDiff, measuredPerToken / 1e6, accountedPerToken / 1e6, 100 * error, ok ? "ok" : "OFF");
            csv.append(String.format(Locale.ROOT, "\"%s\",%s,%d,%.0f,%d,%.0f,%.0f,%.4f%n", run.machine().replace("\"", "'"), methods.get(i), tokensDiff,
                    dram, accounted, measuredPerToken, accountedPerToken, error));
        }
        ResultFiles.write(out, csv.toString(), Provenance.of(Invocation.get(), run.machine()));
        stdout.printf(Locale.ROOT, "%s (target %.0f%%); wrote %s%n", pass ? "every method within target" : "some method OFF target", 100 * target, out);
        stdout.flush();
        return pass ? 0 : 1;
    }

    private static double dram(List<NcuKernel> kernels) {
        return kernels.stream().mapToDouble(NcuMetrics::dramBytes).sum();
    }

    /** What one profiled probe left: its kernels, the machine it named, the decoding runs it reported (tokens, bytes read). */
    record Run(List<NcuKernel> kernels, String machine, ModelShape shape, List<long[]> decodes, String where) {
    }

    private Run profile(String ncuPath, List<String> metricList, List<String> probeArgs) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("ssd-ncu");
        Path log = dir.resolve("ncu.csv"), output = dir.resolve("probe.out");
        List<String> cmd = new ArrayList<>(List.of(ncuPath, "--target-processes", "all", "--csv", "--print-units", "base",
                "--log-file", log.toString(), "--metrics", String.join(",", metricList)));
        cmd.addAll(JavaRelaunch.current(probeArgs));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        int rc = p.waitFor();
        List<String> lines = Files.readAllLines(output);
        if (rc != 0) {
            String tail = lines.stream().skip(Math.max(0, lines.size() - 5)).collect(Collectors.joining(" | "));
            throw new IllegalStateException("ncu or the probe exited with " + rc + " (" + tail + "); command: " + String.join(" ", cmd));
        }
        String machine = "";
        List<long[]> decodes = new ArrayList<>();
        for (String l : lines) {
            if (l.startsWith("ssd-probe machine ")) machine = l.substring("ssd-probe machine ".length()).trim();
            if (l.startsWith("ssd-probe decode ")) decodes.add(new long[]{field(l, "tokens"), field(l, "bytes_read")});
        }
        List<NcuKernel> kernels = NcuCsv.read(log);
        Files.deleteIfExists(log);
        Files.deleteIfExists(output);
        Files.deleteIfExists(dir);
        return new Run(kernels, machine, null, decodes, "ncu profile of ssd " + String.join(" ", probeArgs));
    }

    private static long field(String line, String key) {
        for (String part : line.split(" ")) if (part.startsWith(key + "=")) return Long.parseLong(part.substring(key.length() + 1));
        throw new IllegalStateException("probe line without " + key + ": " + line);
    }

    private static ModelShape shapeOf(String[] src) {
        if (src[0].equals("--model")) return ModelShapes.fromConfigJson(Path.of(src[1]).resolve("config.json"));
        int l = Integer.parseInt(src[1]), d = Integer.parseInt(src[3]), h = Integer.parseInt(src[5]);
        return new ModelShape(l, d, h, ModelShapes.GPT2_VOCAB, ModelShapes.GPT2_POSITIONS);
    }

    /** An executable file: the path itself when it names a directory, else the first match on PATH; null if none. */
    static String findOnPath(String name) {
        if (name.contains(File.separator)) return Files.isExecutable(Path.of(name)) && !Files.isDirectory(Path.of(name)) ? name : null;
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) return p.toString();
        }
        return null;
    }
}

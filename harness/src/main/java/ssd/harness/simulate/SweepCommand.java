package ssd.harness.simulate;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import ssd.roofline.ModelShape;
import ssd.roofline.ModelShapes;
import ssd.roofline.device.Device;
import ssd.roofline.device.DeviceCatalog;
import ssd.common.AtomicFiles;
import ssd.roofline.predict.Scenario;
import ssd.roofline.predict.WhatIf;
import ssd.roofline.report.SweepCsv;
import ssd.roofline.report.TextTable;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code ssd simulate sweep}: what-if speedups the paper does not have, as CSV for plots. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"What-if speedups over the baseline vs tree budget, draft size or device (CSV for plots).",
                "--vary tree|draft|device. Acceptance comes from --rank-probs, an assumption; the n-gram stage is not",
                "modelled (use traces for that). Each device keeps its own host overhead unless --host-overhead-us is given."})
final class SweepCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DeviceOptions deviceOptions;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    WhatIfOptions whatIf;

    @Option(names = "--vary", required = true, paramLabel = "WHAT", description = "tree, draft or device.")
    String vary;

    @Option(names = "--budgets", split = ",", defaultValue = "1,2,4,8,16,32,64,128", paramLabel = "B,...",
            description = "Tree budgets for --vary tree. Default: ${DEFAULT-VALUE}.")
    List<Integer> budgets;

    @Option(names = "--drafts", split = ",", defaultValue = "2x256,4x384,4x512,6x512,6x768,gpt2", paramLabel = "CONFIG,...",
            description = "Draft shapes for --vary draft. Default: ${DEFAULT-VALUE}.")
    List<String> drafts;

    @Option(names = "--devices", split = ",", defaultValue = "rtx4090,a100-80gb,h100-sxm,h200", paramLabel = "DEVICE,...",
            description = "Devices for --vary device. Default: ${DEFAULT-VALUE}.")
    List<String> devices;

    @Option(names = "--out", paramLabel = "FILE", description = "CSV to write (temp file, then rename).")
    Path out;

    @Override
    public void run() {
        Scenario s = whatIf.scenario(deviceOptions.resolve(), modelOptions);
        List<WhatIf.SweepRow> rows = switch (vary.trim().toLowerCase(Locale.ROOT)) {
            case "tree" -> WhatIf.treeBudget(s, positive(budgets, "--budgets"));
            case "draft" -> {
                List<ModelShape> shapes = new ArrayList<>();
                for (String d : drafts) shapes.add(ModelShapes.resolve(d));
                yield WhatIf.draftSize(s, shapes, whatIf.chain, whatIf.budget);
            }
            case "device" -> {
                List<Device> list = new ArrayList<>();
                for (String d : devices) list.add(deviceOptions.withOverheads(DeviceCatalog.resolve(d)));
                yield WhatIf.devices(s, list, whatIf.chain, whatIf.budget);
            }
            default -> throw new IllegalArgumentException("--vary '" + vary + "': expected tree, draft or device");
        };
        TextTable t = new TextTable("value", "device", "draft", "method", "tokens/call", "ms/call", "tokens/s", "speedup",
                "DRAM_MB/token", "host_us/op");
        for (WhatIf.SweepRow r : rows) {
            var e = r.estimate();
            t.add(r.value(), r.device(), r.draft(), e.method(), f("%.2f", e.tokensPerCall()), f("%.3f", e.secondsPerCall() * 1e3),
                    f("%.1f", e.tokensPerSecond()), f("%.2fx", r.speedup()), f("%.1f", e.dramBytesPerToken() / 1e6),
                    f("%.2f", hostUs(r.device(), s, deviceOptions)));
        }
        var pw = spec.commandLine().getOut();
        pw.print(f("what-if (%s, oracle %s, prefix %d, rank probabilities %s -- assumed):%n", r0(rows), modelOptions.config,
                s.prefixLen(), s.acceptance()));
        pw.print(t.render());
        if (out != null) {
            AtomicFiles.writeString(out, SweepCsv.csv(rows));
            pw.println("wrote " + out);
        }
        pw.flush();
    }

    /** Host overhead the row's device was costed with. */
    private static double hostUs(String device, Scenario s, DeviceOptions options) {
        Device d = device.equals(s.device().name()) ? s.device() : options.withOverheads(DeviceCatalog.resolve(device));
        return d.hostOverheadPerOp() * 1e6;
    }

    private static String r0(List<WhatIf.SweepRow> rows) {
        return rows.isEmpty() ? "" : rows.get(0).sweep();
    }

    private static List<Integer> positive(List<Integer> values, String option) {
        for (int v : values) if (v < 1) throw new IllegalArgumentException(option + " values must be >= 1, got " + v);
        return values;
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}

package ssd.harness.simulate;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import ssd.common.Dtype;
import ssd.roofline.device.Device;
import ssd.roofline.device.DeviceCatalog;
import ssd.roofline.report.TextTable;

import java.util.Locale;

/** {@code ssd simulate devices}: the built-in catalog. */
@Command(name = "devices", mixinStandardHelpOptions = true, description = "List the built-in devices.")
final class DevicesCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        TextTable t = new TextTable("name", "kind", "GB/s", "fp16_TFLOP/s", "fp32_TFLOP/s", "L2_MB", "SMs", "latency_us", "host_us/op", "launch");
        for (Device d : DeviceCatalog.builtin()) {
            t.add(d.name(), d.kind().name().toLowerCase(Locale.ROOT), fmt("%.0f", d.bandwidth() / 1e9), fmt("%.1f", d.peakFlops(Dtype.FP16) / 1e12),
                    fmt("%.1f", d.peakFlops(Dtype.FP32) / 1e12), fmt("%.0f", d.l2Bytes() / 1048576.0), d.smCount(),
                    fmt("%.2f", d.kernelLatency() * 1e6), fmt("%.2f", d.hostOverheadPerOp() * 1e6), d.launch().label());
        }
        spec.commandLine().getOut().print(t.render());
        spec.commandLine().getOut().flush();
    }

    private static String fmt(String f, double v) {
        return String.format(Locale.ROOT, f, v);
    }
}

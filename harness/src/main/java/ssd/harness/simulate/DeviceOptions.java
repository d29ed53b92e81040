package ssd.harness.simulate;

import picocli.CommandLine.Option;
import ssd.roofline.device.Device;
import ssd.roofline.device.DeviceCatalog;
import ssd.roofline.device.Launch;

/** --device and the overrides a measured value may impose on it. */
final class DeviceOptions {
    @Option(names = "--device", defaultValue = "rtx4090", paramLabel = "NAME|FILE",
            description = "Catalog device (rtx4090, h100-sxm, h200, a100-80gb, h100-pcie, cpu) or a device JSON file. Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--host-overhead-us", paramLabel = "US", description = "Override host overhead per op (microseconds), e.g. our decoder's on another card.")
    Double hostOverheadUs;

    @Option(names = "--kernel-latency-us", paramLabel = "US", description = "Override kernel latency (microseconds).")
    Double kernelLatencyUs;

    @Option(names = "--bandwidth-gbs", paramLabel = "GB/S", description = "Override memory bandwidth with a measured copy bandwidth (GB/s).")
    Double bandwidthGbs;

    @Option(names = "--launch", paramLabel = "MODEL", description = "Override the launch model: serial or pipelined.")
    String launch;

    Device resolve() {
        Device d = withOverheads(DeviceCatalog.resolve(device));
        if (bandwidthGbs != null) {
            if (!(bandwidthGbs > 0)) throw new IllegalArgumentException("--bandwidth-gbs must be > 0, got " + bandwidthGbs);
            d = d.withCopyBandwidth(bandwidthGbs * 1e9);
        }
        return d;
    }

    /**
     * Applies --host-overhead-us, --kernel-latency-us and --launch to any device, so that a sweep across cards can
     * hold the software (host overhead) fixed and vary only the hardware.
     */
    Device withOverheads(Device d) {
        if (hostOverheadUs != null || kernelLatencyUs != null) {
            d = d.withOverheads(kernelLatencyUs != null ? micros(kernelLatencyUs, "--kernel-latency-us") : d.kernelLatency(),
                    hostOverheadUs != null ? micros(hostOverheadUs, "--host-overhead-us") : d.hostOverheadPerOp());
        }
        if (launch != null) d = d.withLaunch(Launch.parse(launch));
        return d;
    }

    private static double micros(double us, String option) {
        if (!(us >= 0)) throw new IllegalArgumentException(option + " must be >= 0, got " + us);
        return us * 1e-6;
    }
}

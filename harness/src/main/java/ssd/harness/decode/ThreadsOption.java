package ssd.harness.decode;

import picocli.CommandLine.Option;
import ssd.decoder.torch.TorchThreads;

/** {@code --threads N}: libtorch's CPU threads for this run (default: the SSD_THREADS environment variable, else libtorch's own). */
public final class ThreadsOption {
    @Option(names = "--threads", defaultValue = "${env:SSD_THREADS:-0}",
            description = "libtorch CPU threads (0: libtorch's default; default: $SSD_THREADS or 0)")
    int threads;

    public int threads() {
        return threads;
    }

    /** Sets libtorch's thread count once, before any model work. */
    public void apply() {
        TorchThreads.apply(threads);
    }
}

package ssd.decoder.torch;

import org.bytedeco.pytorch.global.torch;

/**
 * libtorch's CPU thread count, set by the command line ({@code --threads N}; 0 keeps libtorch's default, one per core,
 * or {@code OMP_NUM_THREADS}). Small models decode faster on one thread: each op is a few microseconds of work and
 * OpenMP's fork/join costs more than it saves, and far more when other processes share the cores.
 */
public final class TorchThreads {
    private TorchThreads() {
    }

    public static void apply(int threads) {
        if (threads < 0) throw new IllegalArgumentException("--threads must be >= 0 (0: libtorch's default), got " + threads);
        if (threads > 0) torch.set_num_threads(threads);
    }

    public static int current() {
        return torch.get_num_threads();
    }
}

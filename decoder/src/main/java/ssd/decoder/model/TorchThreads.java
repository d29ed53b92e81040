package ssd.decoder.model;

import org.bytedeco.pytorch.global.torch;

/**
 * libtorch's CPU thread count, set once per process from {@code -Dssd.threads=N} or {@code SSD_THREADS=N} (else
 * libtorch's default, one per core). Small models decode faster on one thread: each op is a few microseconds of
 * work and OpenMP's fork/join costs more than it saves, and far more when other processes share the cores.
 */
public final class TorchThreads {
    private static volatile boolean applied;

    private TorchThreads() {
    }

    public static void applyConfigured() {
        if (applied) return;
        synchronized (TorchThreads.class) {
            if (applied) return;
            String value = System.getProperty("ssd.threads", System.getenv("SSD_THREADS"));
            if (value != null && !value.isBlank()) {
                int n;
                try {
                    n = Integer.parseInt(value.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("ssd.threads / SSD_THREADS must be a positive integer, got '" + value + "'");
                }
                if (n < 1) throw new IllegalArgumentException("ssd.threads / SSD_THREADS must be a positive integer, got " + n);
                torch.set_num_threads(n);
            }
            applied = true;
        }
    }

    public static int current() {
        return torch.get_num_threads();
    }
}

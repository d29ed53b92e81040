package ssd.datasets.corpus;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.util.function.LongConsumer;

/** A progress bar in megabytes of source with rate and ETA, or nothing when progress display is off. */
final class Progress implements LongConsumer, AutoCloseable {
    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    static Progress start(String task, long bytes, boolean show) {
        if (!show) return new Progress(null);
        return new Progress(new ProgressBarBuilder().setTaskName(task).setInitialMax(bytes)
                .setUnit(" MB", 1_000_000).showSpeed().setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250).build());
    }

    @Override
    public void accept(long bytes) {
        if (bar != null) bar.stepBy(bytes);
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}

package ssd.training;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.time.Duration;

/** A progress bar in millions of tokens with speed and ETA (on stderr), or nothing when display is off. */
final class TrainProgress implements AutoCloseable {
    private final ProgressBar bar;

    private TrainProgress(ProgressBar bar) {
        this.bar = bar;
    }

    static TrainProgress start(boolean show, String task, long totalTokens, long doneTokens, double elapsedSeconds) {
        if (!show) return new TrainProgress(null);
        return new TrainProgress(new ProgressBarBuilder().setTaskName(task).setInitialMax(totalTokens)
                .setUnit("M tok", 1_000_000).showSpeed(new java.text.DecimalFormat("0.000")).setStyle(ProgressBarStyle.ASCII)
                .startsFrom(doneTokens, Duration.ofMillis((long) (elapsedSeconds * 1000))).setUpdateIntervalMillis(500).build());
    }

    void update(long tokens, String message) {
        if (bar == null) return;
        bar.stepTo(tokens);
        bar.setExtraMessage(message);
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}

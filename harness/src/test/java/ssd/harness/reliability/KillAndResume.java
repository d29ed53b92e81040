package ssd.harness.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a long job uninterrupted once, then again in another folder killed with SIGKILL at random moments (and once
 * just as it starts writing a file), each restart resuming the last, the last one running to the end. Meanwhile a
 * watcher reads the folder every few milliseconds: nothing under a final name may ever be partial. At the end the
 * folder must match the uninterrupted run's (by {@link OutputRule}s).
 *
 * @param fresh         the first start (writes into the folder that {@code outputs} watches)
 * @param resume        every restart after a kill
 * @param randomKills   kills at uniformly random moments of the uninterrupted run's duration
 */
record KillAndResume(ChildSsd fresh, ChildSsd resume, OutputFolder outputs, int randomKills, long seed) {
    static final long RUN_LIMIT_S = 300;

    /** What happened, for the test's report line. */
    record Report(double referenceSeconds, List<String> kills) {
    }

    /** @param reference the same job writing into the reference folder, run first to the end */
    Report run(ChildSsd reference) throws Exception {
        long t0 = System.nanoTime();
        int exit = reference.run(RUN_LIMIT_S);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(exit).as("uninterrupted run: " + reference.logText()).isZero();

        Random rnd = new Random(seed);
        List<String> problems = new CopyOnWriteArrayList<>();
        List<String> kills = new ArrayList<>();
        Watcher watcher = new Watcher(outputs, problems);
        watcher.start();
        try {
            for (int k = 0; k <= randomKills; k++) {
                ChildSsd job = k == 0 ? fresh : resume;
                // The last kill comes as soon as a write is in progress (a temporary name appears), whenever that is.
                boolean onWrite = k == randomKills;
                long delayMs = (long) (rnd.nextDouble() * seconds * 1000);
                Process p = job.start();
                String what;
                if (onWrite) {
                    long deadline = System.nanoTime() + (long) (seconds * 1e9);
                    while (p.isAlive() && !outputs.writing() && System.nanoTime() < deadline) Thread.sleep(1);
                    what = "on a write";
                } else {
                    p.waitFor(delayMs, TimeUnit.MILLISECONDS);
                    what = "at " + delayMs + " ms";
                }
                if (p.isAlive()) {
                    p.destroyForcibly();
                    p.waitFor();
                    kills.add((k == 0 ? "start" : "resume") + " killed " + what);
                } else {
                    assertThat(p.exitValue()).as("run " + k + " ended by itself: " + job.logText()).isZero();
                    kills.add((k == 0 ? "start" : "resume") + " finished before its kill " + what);
                }
            }
            assertThat(resume.run(RUN_LIMIT_S)).as("final resume: " + resume.logText()).isZero();
        } finally {
            watcher.stop();
        }
        assertThat(problems).as("seen under final names while the job ran (seed " + seed + ", " + kills + ")").isEmpty();
        assertThat(outputs.differencesAtTheEnd()).as("the resumed output against the uninterrupted run (seed " + seed + ", " + kills + ")").isEmpty();
        return new Report(seconds, kills);
    }

    /** Reads the folder in a loop on its own thread, collecting problems with timestamps. */
    static final class Watcher implements Runnable {
        private final OutputFolder outputs;
        private final List<String> problems;
        private volatile boolean running = true;
        private Thread thread;

        Watcher(OutputFolder outputs, List<String> problems) {
            this.outputs = outputs;
            this.problems = problems;
        }

        void start() {
            thread = new Thread(this, "output-watcher");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        @Override
        public void run() {
            long t0 = System.nanoTime();
            while (running) {
                try {
                    for (String p : outputs.problemsNow()) problems.add(String.format("%.3f s: %s", (System.nanoTime() - t0) / 1e9, p));
                } catch (RuntimeException e) {
                    problems.add("watcher: " + e);
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}

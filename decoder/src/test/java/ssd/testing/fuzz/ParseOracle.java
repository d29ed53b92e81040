package ssd.testing.fuzz;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Judges one fuzz case: the parser either accepts the input or refuses it with one of the expected exception types,
 * whose message's first line (what
 * the command line prints) names the file; anything else (a NullPointerException, an index out of bounds, an
 * OutOfMemoryError, a StackOverflowError, a case that runs past the time limit) fails the property with the input's
 * description. Counts cases per outcome, so a suite can report what it tried.
 */
public final class ParseOracle {
    /** Far above any honest parse of these tiny inputs; a hang shows up as this, not as a stuck build. */
    static final long TIME_LIMIT_MS = 10_000;
    private static final ExecutorService WORKER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fuzz-case");
        t.setDaemon(true);
        return t;
    });

    private final String parser;
    private final List<Class<? extends Throwable>> refusals;
    private final AtomicLong accepted = new AtomicLong(), refused = new AtomicLong();
    private final Map<String, Long> refusedBy = new TreeMap<>();
    private final long startNanos = System.nanoTime();

    @SafeVarargs
    public ParseOracle(String parser, Class<? extends Throwable>... refusals) {
        this.parser = parser;
        this.refusals = List.of(refusals);
    }

    /**
     * Runs {@code parse} on the case and checks how it ended.
     *
     * @param fileName what every refusal's message must contain (the file's name)
     * @param input    how the failure report describes the case
     */
    public void check(String fileName, Object input, Callable<?> parse) {
        Future<?> f = WORKER.submit(parse);
        Throwable thrown;
        try {
            f.get(TIME_LIMIT_MS, TimeUnit.MILLISECONDS);
            accepted.incrementAndGet();
            return;
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError(parser + ": parse ran past " + TIME_LIMIT_MS + " ms (a hang) on " + input);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            thrown = e.getCause();
        }
        boolean expected = refusals.stream().anyMatch(c -> c.isInstance(thrown));
        String message = thrown.getMessage();
        if (!expected) throw new AssertionError(parser + ": " + thrown + " is not a clean refusal, on " + input, thrown);
        // The command line shows only the first line of a message (OneLineErrors): that line must name the file.
        String firstLine = message == null ? "" : message.lines().findFirst().orElse("");
        if (!firstLine.contains(fileName)) {
            throw new AssertionError(parser + ": the message's first line does not name " + fileName + ": \"" + message + "\" on " + input, thrown);
        }
        refused.incrementAndGet();
        synchronized (refusedBy) {
            refusedBy.merge(thrown.getClass().getSimpleName(), 1L, Long::sum);
        }
    }

    public long cases() {
        return accepted.get() + refused.get();
    }

    /** One line for the build log: cases, accepted, refused by type, seconds. */
    public String summary() {
        return String.format(java.util.Locale.ROOT, "fuzz %s: %,d cases (%,d accepted, %,d refused %s) in %.1f s", parser, cases(),
                accepted.get(), refused.get(), refusedBy, (System.nanoTime() - startNanos) / 1e9);
    }
}

package ssd.harness;

import picocli.CommandLine;

/**
 * Turns a failure into one line on stderr and exit status 1. Users get "ssd: <what was wrong>", not a stack trace;
 * SSD_DEBUG=1 prints the trace for developers.
 */
final class OneLineErrors implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        cl.getErr().println("ssd " + cl.getCommandName() + ": " + firstLine(message));
        if ("1".equals(System.getenv("SSD_DEBUG"))) ex.printStackTrace(cl.getErr());
        return 1;
    }

    /**
     * The message's first line; for libtorch's CUDA out-of-memory error (whose first line already says how much was asked
     * for and how much is free) with what to lower. Files written so far stay complete, and --resume continues.
     */
    static String firstLine(String message) {
        String first = message.lines().findFirst().orElse(message).strip();
        if (!first.contains("CUDA out of memory")) return first;
        return first + " Lower --tree-budget, --max-new-tokens or the batch (--micro-batch, --batch), or use --dtype fp16; "
                + "results written so far are complete and --resume continues.";
    }
}

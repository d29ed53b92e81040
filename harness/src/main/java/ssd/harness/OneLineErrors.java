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
        cl.getErr().println("ssd " + cl.getCommandName() + ": " + message.lines().findFirst().orElse(message));
        if ("1".equals(System.getenv("SSD_DEBUG"))) ex.printStackTrace(cl.getErr());
        return 1;
    }
}

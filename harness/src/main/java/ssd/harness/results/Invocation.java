package ssd.harness.results;

/** The command line this process was started with, for provenance records. */
public final class Invocation {
    private static volatile String commandLine = "ssd";

    private Invocation() {
    }

    public static void set(String[] args) {
        commandLine = "ssd " + String.join(" ", args);
    }

    public static String get() {
        return commandLine;
    }
}

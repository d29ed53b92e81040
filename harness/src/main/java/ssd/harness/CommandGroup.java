package ssd.harness;

import picocli.CommandLine;

/** A command that only groups subcommands: run bare, it prints its usage (e.g. `ssd ngram`). */
public abstract class CommandGroup implements Runnable {
    @CommandLine.Spec
    protected CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}

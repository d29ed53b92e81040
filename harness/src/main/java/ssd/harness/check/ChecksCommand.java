package ssd.harness.check;

import picocli.CommandLine.Command;
import ssd.harness.CommandGroup;

/** {@code ssd check}: measurements that test what the paper's tables and figures claim. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Check the simulator's claims against hardware counters.",
        subcommands = {IntensityCommand.class, IntensityProbeCommand.class})
public final class ChecksCommand extends CommandGroup {
}

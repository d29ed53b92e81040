package ssd.harness;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ssd} command line: one subcommand per stage of the pipeline. */
@Command(name = "ssd", mixinStandardHelpOptions = true, version = "ssd 0.1.0",
        description = "Staged speculative decoding: decode, train, simulate and reproduce the paper's figures and tables.",
        subcommands = {
                CommandLine.HelpCommand.class,
                ssd.harness.datasets.CorpusCommand.class,
                ssd.harness.datasets.PromptsCommand.class,
                ssd.harness.simulate.SimulateCommand.class,
                ssd.harness.decode.GenerateCommand.class,
                ssd.harness.decode.BenchForwardCommand.class,
                ssd.harness.decode.CheckpointCommand.class,
                ssd.harness.training.TrainCommand.class,
                ssd.harness.ngram.NgramCommand.class,
                ssd.harness.experiment.BenchDecodeCommand.class,
                ssd.harness.tables.TablesCommand.class,
                ssd.harness.figures.FiguresCommand.class,
                ssd.harness.check.ChecksCommand.class,
                ssd.harness.report.ReportCommand.class,
        })
public final class Ssd implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        ssd.harness.results.Invocation.set(args);
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared with tests so they see exactly what users see. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Ssd());
        cl.setExecutionExceptionHandler(new OneLineErrors());
        return cl;
    }
}

package ssd.harness;

import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One `ssd ARGS` through the real command line ({@link Ssd#commandLine()}, its one-line error handler included), as
 * the command tests run it: the exit code, what was printed (picocli's writer and System.out, which the decoding
 * commands print to) and stderr.
 */
public record SsdRun(int exit, String out, String err) {
    public static SsdRun of(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        ByteArrayOutputStream systemOut = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        System.setOut(new PrintStream(systemOut, true));
        try {
            CommandLine cl = Ssd.commandLine();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            int exit = cl.execute(args);
            return new SsdRun(exit, out + systemOut.toString(), err.toString());
        } finally {
            System.setOut(previous);
        }
    }
}

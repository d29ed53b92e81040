package ssd.harness.check;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts another {@code ssd} in a JVM like this one: the same java executable and JVM options
 * (library path, JavaCPP platform, heap), so that a child run under a profiler finds the same natives. Read from this
 * process's own command line; where that is not available, java.home and the class path.
 */
final class JavaRelaunch {
    static final String MAIN_CLASS = "ssd.harness.Ssd";

    private JavaRelaunch() {
    }

    static List<String> current(List<String> ssdArgs) {
        ProcessHandle.Info info = ProcessHandle.current().info();
        return of(info.command().orElse(null), info.arguments().map(List::of).orElse(null), System.getProperty("java.home"),
                System.getProperty("java.class.path"), ssdArgs);
    }

    /**
     * @param command   this JVM's executable, or null when unknown
     * @param arguments this JVM's arguments (options, main class, program arguments), or null when unknown
     */
    static List<String> of(String command, List<String> arguments, String javaHome, String classPath, List<String> ssdArgs) {
        List<String> out = new ArrayList<>();
        int main = arguments == null ? -1 : arguments.indexOf(MAIN_CLASS);
        if (command != null && main >= 0) {
            out.add(command);
            out.addAll(arguments.subList(0, main));
        } else {
            out.add(Path.of(javaHome, "bin", "java").toString());
            out.add("-cp");
            out.add(classPath);
        }
        out.add(MAIN_CLASS);
        out.addAll(ssdArgs);
        return out;
    }
}

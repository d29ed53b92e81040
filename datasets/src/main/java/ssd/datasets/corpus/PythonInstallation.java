package ssd.datasets.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The local Python's standard library and site-packages folders, the corpus's default roots. Asks the
 * interpreter itself ({@code sysconfig}, {@code site}) so virtual environments and distro layouts come out right.
 *
 * @param version    e.g. "3.11.7"
 * @param executable the interpreter that answered
 * @param roots      existing folders, stdlib first, without repeats
 */
public record PythonInstallation(String version, String executable, List<Path> roots) {
    /** Interpreters tried in order; {@code SSD_PYTHON} comes first when set. */
    static final List<String> CANDIDATES = List.of("python3", "python");
    private static final String PROBE = "import json,site,sys,sysconfig\n"
            + "p=sysconfig.get_paths()\n"
            + "r=[p.get('stdlib'),p.get('platstdlib'),p.get('purelib'),p.get('platlib')]\n"
            + "r+=list(site.getsitepackages()) if hasattr(site,'getsitepackages') else []\n"
            + "print(json.dumps({'version':sys.version.split()[0],'executable':sys.executable,'roots':[x for x in r if x]}))\n";

    public static PythonInstallation discover() {
        List<String> tried = new ArrayList<>();
        String env = System.getenv("SSD_PYTHON");
        List<String> candidates = new ArrayList<>();
        if (env != null && !env.isBlank()) candidates.add(env);
        candidates.addAll(CANDIDATES);
        for (String exe : candidates) {
            tried.add(exe);
            PythonInstallation found = probe(exe);
            if (found != null) return found;
        }
        throw new IllegalStateException("no Python installation found to take default corpus roots from (tried "
                + String.join(", ", tried) + "); pass --from DIR or set SSD_PYTHON to an interpreter");
    }

    /** The installation behind {@code executable}, or null when it cannot be run or reports no folders. */
    static PythonInstallation probe(String executable) {
        try {
            Process p = new ProcessBuilder(executable, "-c", PROBE).redirectErrorStream(false).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) return null;
            JsonNode json = new ObjectMapper().readTree(new String(out, StandardCharsets.UTF_8));
            Set<Path> roots = new LinkedHashSet<>();
            for (JsonNode r : json.get("roots")) {
                Path path = Path.of(r.asText());
                if (Files.isDirectory(path)) roots.add(path.toRealPath());
            }
            if (roots.isEmpty()) return null;
            return new PythonInstallation(json.get("version").asText(), json.get("executable").asText(), List.copyOf(roots));
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}

package ssd.datasets.corpus;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PythonInstallationTest {
    @Test
    void anInterpreterThatCannotRunYieldsNothing() {
        assertThat(PythonInstallation.probe("no-such-python-interpreter-here")).isNull();
    }

    @Test
    void localPython3ReportsItsStandardLibraryFirst() {
        PythonInstallation py = PythonInstallation.probe("python3");
        assumeTrue(py != null, "python3 not installed");
        assertThat(py.version()).matches("3\\.\\d+\\.\\d+.*");
        assertThat(py.roots()).isNotEmpty().doesNotHaveDuplicates();
        assertThat(py.roots().get(0).resolve("os.py")).satisfies(p -> assertThat(Files.isRegularFile(p)).isTrue());
    }
}

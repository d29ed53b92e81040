package ssd.decoder.forward;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fused kernels are compiled at run time on the GPU host, so a syntax error or a renamed entry point would only
 * show there. Where nvcc is installed (no GPU needed), this compiles the shipped source to PTX for the oldest
 * supported architecture and for Hopper and checks that every kernel {@link FusedForward} launches is an entry point of it.
 */
class FusedKernelSourceTest {
    @Test
    void sourceCompilesAndDefinesEveryKernelTheForwardLaunches(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(nvccAvailable(), "nvcc not found: the fused kernel source is only compiled on GPU hosts");
        Path source = dir.resolve(FusedKernels.SOURCE);
        Files.writeString(source, FusedKernels.source());
        // The oldest supported architecture, and Hopper, where the cluster code is compiled in.
        for (int cc : List.of(FusedKernels.MIN_COMPUTE_CAPABILITY, FusedKernels.MIN_CLUSTER_COMPUTE_CAPABILITY)) {
            Path ptx = dir.resolve("gpt2_fused_" + cc + ".ptx");
            Process p = new ProcessBuilder("nvcc", "-ptx", "-arch=compute_" + cc, "-std=c++17", "-o", ptx.toString(), source.toString())
                    .redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("nvcc finished").isTrue();
            assertThat(p.exitValue()).as("nvcc exit status for compute_%d; log:%n%s", cc, log).isZero();

            String entries = Files.readString(ptx);
            for (int headDim : List.of(32, 64)) {
                for (String name : FusedForward.kernelNames(headDim)) {
                    assertThat(entries).as("PTX entry for %s (compute_%d)", name, cc).containsPattern("\\.entry\\s+" + name + "\\(");
                }
            }
        }
    }

    private static boolean nvccAvailable() {
        try {
            Process p = new ProcessBuilder("nvcc", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}

package ssd.harness;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OneLineErrorsTest {
    @Test
    void keepsTheFirstLineOnly() {
        assertThat(OneLineErrors.firstLine("checkpoint x: not a directory\n\tat somewhere")).isEqualTo("checkpoint x: not a directory");
    }

    @Test
    void aCudaOutOfMemoryErrorSaysWhatToLower() {
        String torch = "CUDA out of memory. Tried to allocate 25.00 GiB. GPU 0 has a total capacity of 139.81 GiB of which 3.12 GiB is free.\n"
                + "Exception raised from malloc at /pytorch/c10/cuda/CUDACachingAllocator.cpp";
        String line = OneLineErrors.firstLine(torch);
        assertThat(line).doesNotContain("\n").contains("Tried to allocate 25.00 GiB").contains("3.12 GiB is free")
                .contains("--tree-budget").contains("--resume continues");
    }
}

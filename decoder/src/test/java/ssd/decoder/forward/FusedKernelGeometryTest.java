package ssd.decoder.forward;

import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launch geometry the host assumes against what gpt2_fused.cu compiles: block sizes from its warp counts, the
 * cluster linears' features per block and weight steps in flight (which size their shared memory), and the partial
 * sums the layer norm adds per round trip. Either side changing alone fails here, not on a GPU.
 */
class FusedKernelGeometryTest {
    static final String SOURCE = FusedKernels.source();

    static int define(String name) {
        Matcher m = Pattern.compile("#define\\s+" + name + "\\s+(\\d+)").matcher(SOURCE);
        assertThat(m.find()).as("#define %s in %s", name, FusedKernels.SOURCE).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** The body of the device function or kernel whose signature starts with {@code signature}. */
    static String body(String signature) {
        int start = SOURCE.indexOf(signature);
        assertThat(start).as("%s in %s", signature, FusedKernels.SOURCE).isNotNegative();
        int open = SOURCE.indexOf('{', start), depth = 0;
        for (int i = open; i < SOURCE.length(); i++) {
            if (SOURCE.charAt(i) == '{') depth++;
            if (SOURCE.charAt(i) == '}' && --depth == 0) return SOURCE.substring(open, i + 1);
        }
        throw new AssertionError("unbalanced braces after " + signature);
    }

    @Test
    void blockSizesAreThirtyTwoTimesTheCompiledWarps() {
        assertThat(FusedForward.LINEAR_THREADS).isEqualTo(32 * define("LINEAR_WARPS"));
        assertThat(FusedForward.ATTENTION_THREADS).isEqualTo(32 * define("ATTENTION_WARPS"));
        assertThat(FusedForward.ROW_ATTENTION_THREADS).isEqualTo(32 * define("ROW_ATTENTION_WARPS"));
    }

    @Test
    void clusterLinearsHaveTheFeaturesAndStepsInFlightTheHostSizesSharedMemoryFor() {
        Matcher rows = Pattern.compile("constexpr int R = 8 \\* NT, RT = (\\d+), KG = LINEAR_WARPS / RT, F = 16 \\* RT;").matcher(SOURCE);
        assertThat(rows.find()).as("linear_rows' tile constants").isTrue();
        assertThat(FusedForward.ROWS_FEATURES).isEqualTo(16 * Integer.parseInt(rows.group(1)));
        Matcher u = Pattern.compile("constexpr int U = NT == 8 \\? (\\d+) : (\\d+);\\s*// weight steps in flight per warp").matcher(SOURCE);
        assertThat(u.find()).as("linear_rows' steps in flight").isTrue();
        assertThat(FusedForward.rowsStepsInFlight(8)).isEqualTo(Integer.parseInt(u.group(1)));
        for (int tiles : new int[]{2, 4}) assertThat(FusedForward.rowsStepsInFlight(tiles)).isEqualTo(Integer.parseInt(u.group(2)));
    }

    @Test
    void theLayerNormSumsTheSplitLinearsPartialsInOneRoundTrip() {
        Matcher group = Pattern.compile("constexpr int GROUP = (\\d+);").matcher(body("__device__ __forceinline__ U4 add_parts8("));
        assertThat(group.find()).isTrue();
        assertThat(FusedForward.LINEAR_SPLITS).as("partials per linear, summed GROUP at a time").isLessThanOrEqualTo(Integer.parseInt(group.group(1)));
    }
}

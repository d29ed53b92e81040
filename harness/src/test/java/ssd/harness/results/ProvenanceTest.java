package ssd.harness.results;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class ProvenanceTest {
    @Test
    void recordsTheSsdSystemPropertiesThatChoseKernelVariants() {
        Properties p = new Properties();
        p.setProperty("ssd.fused.cublasLinearsFrom", "999");
        p.setProperty("ssd.fused.clusterLinears", "none");
        p.setProperty("java.version", "17");
        p.setProperty("ssdx", "not ours");
        assertThat(Provenance.ssdProperties(p)).isEqualTo("ssd.fused.clusterLinears=none ssd.fused.cublasLinearsFrom=999");
        assertThat(Provenance.ssdProperties(new Properties())).isEmpty();
    }

    @Test
    void sidecarCarriesThemNextToTheCommand() {
        System.setProperty("ssd.test.provenance", "on");
        try {
            Provenance p = Provenance.of("ssd bench-forward --cuda-graphs", "test machine");
            assertThat(p.asMap()).containsEntry("command", "ssd bench-forward --cuda-graphs").containsKey("git_commit");
            assertThat(p.asMap().get("ssd_properties").split(" ")).contains("ssd.test.provenance=on");
        } finally {
            System.clearProperty("ssd.test.provenance");
        }
    }
}

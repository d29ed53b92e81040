package ssd.roofline.predict;

import org.junit.jupiter.api.Test;
import ssd.common.Dtype;
import ssd.roofline.ModelShapes;
import ssd.roofline.device.DeviceCatalog;
import ssd.roofline.report.SweepCsv;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WhatIfTest {
    /** Assumed draft quality with real mass on second and third choices, where trees should pay. */
    private static final Scenario S = new Scenario(DeviceCatalog.get("rtx4090"), ModelShapes.preset("gpt2-large"),
            ModelShapes.resolve("4x512"), Dtype.FP16, 256, new AcceptanceModel(new double[]{0.6, 0.25, 0.1}), PredictOptions.DEFAULT);

    @Test
    void chainSpeedupSaturatesAndTreesGoFurther() {
        List<WhatIf.SweepRow> rows = WhatIf.treeBudget(S, List.of(1, 2, 4, 8, 16, 32, 64, 128));
        assertThat(rows.get(0).speedup()).isEqualTo(1.0);   // baseline row
        double bestChain = rows.stream().filter(r -> r.estimate().method().startsWith("speculative"))
                .mapToDouble(WhatIf.SweepRow::speedup).max().orElseThrow();
        double chain128 = rows.stream().filter(r -> r.estimate().method().equals("speculative g=128"))
                .findFirst().orElseThrow().speedup();
        double bestTree = rows.stream().filter(r -> r.estimate().method().startsWith("tree"))
                .mapToDouble(WhatIf.SweepRow::speedup).max().orElseThrow();
        assertThat(chain128).isLessThan(bestChain);   // long chains are exponentially unlikely to pay off
        assertThat(bestTree).isGreaterThan(bestChain);
        assertThat(bestChain).isGreaterThan(1.0);
    }

    @Test
    void kvCommitCostsTreesOnlyWhenEnabled() {
        Scenario noCommit = new Scenario(S.device(), S.oracle(), S.draft(), S.dtype(), S.prefixLen(), S.acceptance(),
                new PredictOptions(10e-6, false));
        Estimate with = WhatIf.tree(S, 16), without = WhatIf.tree(noCommit, 16);
        assertThat(with.tokensPerCall()).isEqualTo(without.tokensPerCall());
        assertThat(with.secondsPerCall()).isGreaterThan(without.secondsPerCall());
        assertThat(WhatIf.chain(S, 16).secondsPerCall()).isEqualTo(WhatIf.chain(noCommit, 16).secondsPerCall());
    }

    @Test
    void sweepsCoverEveryDeviceAndDraftAndWriteCsv() {
        List<WhatIf.SweepRow> devices = WhatIf.devices(S, DeviceCatalog.builtin().subList(0, 4), 4, 32);
        assertThat(devices).extracting(WhatIf.SweepRow::device).containsOnly("rtx4090", "h100-sxm", "h200", "a100-80gb");
        assertThat(devices).hasSize(12);
        List<WhatIf.SweepRow> drafts = WhatIf.draftSize(S, List.of(ModelShapes.resolve("2x256"), ModelShapes.preset("gpt2")), 4, 16);
        // Same acceptance, costlier draft: the bigger draft is slower.
        assertThat(drafts.get(1).speedup()).isGreaterThan(drafts.get(3).speedup());
        String csv = SweepCsv.csv(drafts);
        assertThat(csv.lines().count()).isEqualTo(5);
        assertThat(csv.lines().findFirst().orElseThrow()).startsWith("sweep,value,device,oracle,draft,method,");
    }
}

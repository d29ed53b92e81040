package ssd.roofline.predict;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SpeculationTreeTest {
    @Test
    void bestFirstTreeByHand() {
        // Ranks 0.6 / 0.3. Best three nodes: top child (0.6), its top child (0.36), the root's second child (0.3).
        SpeculationTree t = SpeculationTree.best(new AcceptanceModel(new double[]{0.6, 0.3}), 3);
        assertThat(t.nodes()).extracting(SpeculationTree.Node::pathProbability).containsExactly(0.6, 0.36, 0.3);
        assertThat(t.nodes()).extracting(SpeculationTree.Node::depth).containsExactly(1, 2, 1);
        assertThat(t.expectedTokens()).isCloseTo(2.26, within(1e-12));
        assertThat(t.oracleBatch()).isEqualTo(4);
        // The draft runs on the root, then on the one depth-1 node that has a child; leaves are free.
        assertThat(t.draftBatchPerLevel()).containsExactly(1, 1);
        assertThat(t.probabilityAnyAccepted()).isCloseTo(0.9, within(1e-12));
    }

    @Test
    void treeGetsMoreTokensPerCallThanChainOfTheSameBudget() {
        AcceptanceModel m = new AcceptanceModel(new double[]{0.7, 0.15, 0.05});
        // Up to budget 4 the best tree is the chain (0.7^4 = 0.24 beats a second choice at 0.15) ...
        assertThat(SpeculationTree.best(m, 4).expectedTokens()).isEqualTo(SpeculationTree.best(m.topOnly(), 4).expectedTokens());
        // ... beyond that, branching near the root pays.
        for (int b : new int[]{8, 16, 64}) {
            assertThat(SpeculationTree.best(m, b).expectedTokens())
                    .isGreaterThan(SpeculationTree.best(m.topOnly(), b).expectedTokens());
        }
    }

    @Test
    void rejectsImpossibleAcceptanceModels() {
        assertThatThrownBy(() -> new AcceptanceModel(new double[]{0.2, 0.5})).hasMessageContaining("non-increasing");
        assertThatThrownBy(() -> new AcceptanceModel(new double[]{0.7, 0.6})).hasMessageContaining("add up to");
        assertThatThrownBy(() -> AcceptanceModel.parse("0.7,x")).hasMessageContaining("comma-separated numbers");
    }
}

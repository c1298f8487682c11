package reweigh.neural.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import org.junit.jupiter.api.Test;
import reweigh.neural.Djl;
import reweigh.neural.LanguageModel;
import reweigh.neural.Transformer;

/**
 * Cross-model patching against a model whose answer is known: a "tuned" copy of a base that differs in its blocks
 * only (its final LayerNorm and unembedding are the base's). Patching the tuned model's whole residual stream after
 * the last block into the base must then give the tuned model's own output, because what follows that point is the
 * same function in both; patching it after the first block must not (the tuned second block is not carried over).
 */
class PatchingTest {
    private static final Transformer CONFIG = new Transformer(11, 8, 16, 4, 2, 2);
    private static final List<int[]> SEQUENCES = List.of(new int[] {1, 2, 3, 7, 4}, new int[] {4, 5, 6, 7, 1}, new int[] {9, 8, 2, 7, 3});

    @Test
    void patchingTheLastResidualFromATunedModelReproducesItsOutput() {
        try (NDManager root = Djl.newManager();
                LanguageModel base = LanguageModel.initialize(CONFIG, 5, DataType.FLOAT32, root);
                LanguageModel tuned = base.copy(root);
                LanguageModel other = LanguageModel.initialize(CONFIG, 6, DataType.FLOAT32, root)) {
            // "tuning": every block parameter moved far along the difference to another model's, the last stage left as the base's
            for (String name : tuned.parameters().keySet()) {
                if (!name.startsWith("blocks.")) continue;
                NDArray moved = other.parameters().get(name).sub(base.parameters().get(name)).mul(25f);
                tuned.parameters().get(name).addi(moved);
                moved.close();
            }
            double[][] own = Activations.logProbs(tuned, SEQUENCES, h -> {});
            double[][] clean = Activations.logProbs(base, SEQUENCES, h -> {});
            double[][] last = Patching.logProbs(tuned, SEQUENCES, base, SEQUENCES, "blocks.1.hook_resid_post", Patching.ALL_HEADS);
            double[][] first = Patching.logProbs(tuned, SEQUENCES, base, SEQUENCES, "blocks.0.hook_resid_post", Patching.ALL_HEADS);
            for (int i = 0; i < SEQUENCES.size(); i++) {
                assertTrue(Math.abs(own[i][0] - clean[i][0]) > 1e-3, "the tuned model answers otherwise than its base: " + own[i][0] + " " + clean[i][0]);
                assertArrayEquals(own[i], last[i], 1e-5, "sequence " + i);
                assertTrue(Math.abs(own[i][1] - first[i][1]) > 1e-4, "the tuned second block is not patched in after the first");
            }
        }
    }
}

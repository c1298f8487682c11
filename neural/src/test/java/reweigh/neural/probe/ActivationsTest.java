package reweigh.neural.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import org.junit.jupiter.api.Test;
import reweigh.neural.Djl;
import reweigh.neural.Hooks;
import reweigh.neural.LanguageModel;
import reweigh.neural.Transformer;

class ActivationsTest {
    private static final Transformer CONFIG = new Transformer(11, 8, 16, 4, 2, 4);

    /** Prompts of different lengths read together give what each gives alone (padding never leaks). */
    @Test
    void readsEachPromptsActivationAsAForwardPassOfThatPromptAlone() {
        List<int[]> prompts = List.of(new int[] {1, 2, 3}, new int[] {4, 5, 6, 7, 8}, new int[] {9});
        try (NDManager root = Djl.newManager();
                LanguageModel model = LanguageModel.initialize(CONFIG, 3, DataType.FLOAT32, root)) {
            for (String hook : List.of("blocks.1.hook_resid_post", "blocks.0.attn.hook_z", "blocks.0.mlp.hook_post")) {
                double[][] last = Activations.at(model, prompts, hook, -1);
                double[][] first = Activations.at(model, prompts, hook, 0);
                for (int r = 0; r < prompts.size(); r++) {
                    int[] p = prompts.get(r);
                    double[] alone;
                    double[] alonefirst;
                    try (NDManager scope = model.newScope(); Hooks hooks = Hooks.on(scope).cache(hook)) {
                        model.forward(scope, new int[][] {p}, hooks);
                        double[] all = hooks.cached(hook).toType(DataType.FLOAT64, false).toDoubleArray();
                        int width = all.length / p.length;
                        alone = java.util.Arrays.copyOfRange(all, (p.length - 1) * width, p.length * width);
                        alonefirst = java.util.Arrays.copyOfRange(all, 0, width);
                    }
                    assertArrayEquals(alone, last[r], 1e-5, hook + " prompt " + r);
                    assertArrayEquals(alonefirst, first[r], 1e-5, hook + " prompt " + r);
                }
            }
            assertThrows(IllegalArgumentException.class, () -> Activations.at(model, prompts, "blocks.0.hook_resid_post", 1));
            assertThrows(IllegalArgumentException.class, () -> Activations.at(model, prompts, "blocks.0.attn.hook_pattern", 0));
            // an intervention upstream changes what is read downstream
            double[][] ablated = Activations.at(model, prompts, "blocks.1.hook_resid_post", -1,
                    h -> h.ablate("blocks.0.hook_resid_post", 0, 1, 2, 3));
            double[][] clean = Activations.at(model, prompts, "blocks.1.hook_resid_post", -1);
            org.junit.jupiter.api.Assertions.assertFalse(java.util.Arrays.equals(ablated[1], clean[1]));
        }
    }
}

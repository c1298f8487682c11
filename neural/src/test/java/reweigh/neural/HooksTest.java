package reweigh.neural;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reweigh.neural.probe.Activations;
import reweigh.neural.probe.Patching;

class HooksTest {
    // B=2, T=5, C=16, H=4, D=4, M=64, V=11
    private static final Transformer CONFIG = new Transformer(11, 8, 16, 4, 2, 4);
    private static final int[][] CONTEXT_A = {{1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}};
    private static final int[][] CONTEXT_B = {{5, 4, 3, 2, 1}, {0, 0, 1, 1, 2}};

    @Test
    void cachingReturnsEveryActivationWithItsDocumentedShape() {
        try (NDManager root = Djl.newManager();
                LanguageModel model = LanguageModel.initialize(CONFIG, 1, DataType.FLOAT32, root);
                Hooks hooks = Hooks.on(root).cache(model.hookNames().toArray(String[]::new))) {
            float[] logits;
            try (NDManager scope = model.newScope()) {
                logits = model.forward(scope, CONTEXT_A, hooks).toFloatArray();
            }
            // the copies outlive the scope of the pass
            Map<String, NDArray> cached = hooks.cached();
            assertEquals(model.hookNames(), java.util.List.copyOf(cached.keySet()));
            assertEquals(new Shape(2, 5, 16), cached.get("hook_embed").getShape());
            assertEquals(new Shape(1, 5, 16), cached.get("hook_pos_embed").getShape());
            for (int i = 0; i < 2; i++) {
                String b = "blocks." + i + ".";
                for (String name : new String[] {"hook_resid_pre", "hook_attn_out", "hook_resid_mid",
                        "hook_mlp_out", "hook_resid_post"}) {
                    assertEquals(new Shape(2, 5, 16), cached.get(b + name).getShape(), b + name);
                }
                for (String name : new String[] {"attn.hook_q", "attn.hook_k", "attn.hook_v", "attn.hook_z"}) {
                    assertEquals(new Shape(2, 5, 4, 4), cached.get(b + name).getShape(), b + name);
                }
                assertEquals(new Shape(2, 4, 5, 5), cached.get(b + "attn.hook_pattern").getShape());
                assertEquals(new Shape(2, 5, 64), cached.get(b + "mlp.hook_pre").getShape());
                assertEquals(new Shape(2, 5, 64), cached.get(b + "mlp.hook_post").getShape());
            }
            assertEquals(new Shape(2, 5, 16), cached.get("ln_final.hook_normalized").getShape());
            assertArrayEquals(logits, hooks.cached("logits").toFloatArray());

            // attention is causal and each query's pattern sums to one
            float[] pattern = hooks.cached("blocks.0.attn.hook_pattern").toFloatArray(); // (B, H, Tq, Tk)
            for (int row = 0; row < 2 * 4 * 5; row++) {
                int query = row % 5;
                double sum = 0;
                for (int key = 0; key < 5; key++) {
                    float w = pattern[row * 5 + key];
                    sum += w;
                    if (key > query) {
                        assertEquals(0f, w, "no attention to the future");
                    }
                }
                assertEquals(1.0, sum, 1e-5);
            }
        }
    }

    @Test
    void patchingTheWholeResidualStreamAtTheLastLayerReproducesTheOtherContextsLogits() {
        String lastResidPre = "blocks." + (CONFIG.layers() - 1) + ".hook_resid_pre";
        try (NDManager root = Djl.newManager();
                LanguageModel model = LanguageModel.initialize(CONFIG, 1, DataType.FLOAT32, root);
                Hooks fromA = Hooks.on(root).cache(lastResidPre);
                Hooks intoB = Hooks.on(root)) {
            float[] logitsA;
            float[] logitsB;
            float[] patched;
            try (NDManager scope = model.newScope()) {
                logitsA = model.forward(scope, CONTEXT_A, fromA).toFloatArray();
                logitsB = model.forward(scope, CONTEXT_B, Hooks.none()).toFloatArray();
                intoB.patch(lastResidPre, fromA.cached(lastResidPre));
                patched = model.forward(scope, CONTEXT_B, intoB).toFloatArray();
            }
            assertArrayEquals(logitsA, patched, 1e-6f);
            assertFalse(java.util.Arrays.equals(logitsA, logitsB), "the contexts differ to begin with");
        }
    }

    /** The same through {@link Patching}: the target's log-probs become those of A's next-token distributions. */
    @Test
    void thePatchingToolCarriesContextAIntoARunOnContextB() {
        String lastResidPre = "blocks." + (CONFIG.layers() - 1) + ".hook_resid_pre";
        List<int[]> a = List.of(CONTEXT_A);
        List<int[]> b = List.of(CONTEXT_B);
        try (NDManager root = Djl.newManager();
                LanguageModel model = LanguageModel.initialize(CONFIG, 1, DataType.FLOAT32, root);
                LanguageModel other = LanguageModel.initialize(CONFIG, 2, DataType.FLOAT32, root)) {
            double[][] patched = Patching.logProbs(model, a, model, b, lastResidPre, Patching.ALL_HEADS);
            float[] logitsA; // (B, T, V)
            try (NDManager scope = model.newScope()) {
                logitsA = model.forward(scope, CONTEXT_A, Hooks.none()).logSoftmax(-1).toFloatArray();
            }
            for (int r = 0; r < 2; r++) {
                for (int t = 1; t < 5; t++) { // log p_A(B's token t) at position t-1
                    assertEquals(logitsA[(r * 5 + t - 1) * 11 + CONTEXT_B[r][t]], patched[r][t - 1], 1e-5, "row " + r + " token " + t);
                }
            }
            // a model patched with its own activations, a head at a time, is unchanged; another model's head changes it
            double[][] clean = Activations.logProbs(model, b, h -> {});
            for (int head = 0; head < CONFIG.heads(); head++) {
                double[][] self = Patching.logProbs(model, b, model, b, "blocks.0.attn.hook_z", head);
                double[][] foreign = Patching.logProbs(other, b, model, b, "blocks.0.attn.hook_z", head);
                for (int r = 0; r < 2; r++) {
                    assertArrayEquals(clean[r], self[r], 1e-6);
                    assertFalse(java.util.Arrays.equals(clean[r], foreign[r]), "head " + head);
                }
            }
            assertArrayEquals(model.logProbs(CONTEXT_B[1]), clean[1], 1e-5);
            assertThrows(IllegalArgumentException.class,
                    () -> Patching.logProbs(model, a, model, List.of(new int[] {1, 2}), lastResidPre, Patching.ALL_HEADS));
            assertThrows(IllegalArgumentException.class, () -> Patching.logProbs(model, a, model, b, lastResidPre, 0));
        }
    }

    @Test
    void patchingOnePositionChangesOnlyThatPositionAndLater() {
        String name = "blocks.0.hook_resid_post";
        try (NDManager root = Djl.newManager();
                LanguageModel model = LanguageModel.initialize(CONFIG, 1, DataType.FLOAT32, root);
                Hooks hooks = Hooks.on(root).patch(name, x -> {
                    NDArray y = x.duplicate();
                    y.set(new NDIndex(":, 2, :"), 3.0f); // overwrite position 2 only
                    return y;
                })) {
            try (NDManager scope = model.newScope()) {
                float[] clean = model.forward(scope, CONTEXT_A, Hooks.none()).toFloatArray();
                float[] patched = model.forward(scope, CONTEXT_A, hooks).toFloatArray();
                for (int b = 0; b < 2; b++) {
                    for (int t = 0; t < 5; t++) {
                        boolean changed = false;
                        for (int v = 0; v < 11; v++) {
                            int i = (b * 5 + t) * 11 + v;
                            changed |= Math.abs(clean[i] - patched[i]) > 1e-6;
                        }
                        assertEquals(t >= 2, changed, "batch " + b + " position " + t);
                    }
                }
            }
        }
    }

    @Test
    void ablatingAHeadZeroesItAndChangesTheOutput() {
        String z = "blocks.1.attn.hook_z";
        try (NDManager root = Djl.newManager();
                LanguageModel model = LanguageModel.initialize(CONFIG, 1, DataType.FLOAT32, root);
                Hooks ablated = Hooks.on(root).ablate(z, 2).cache(z)) {
            try (NDManager scope = model.newScope()) {
                float[] clean = model.forward(scope, CONTEXT_A, Hooks.none()).toFloatArray();
                float[] out = model.forward(scope, CONTEXT_A, ablated).toFloatArray();
                assertFalse(java.util.Arrays.equals(clean, out), "ablating a head changes the logits");
                float[] zs = ablated.cached(z).toFloatArray(); // (B, T, H, D)
                for (int i = 0; i < zs.length; i++) {
                    int head = (i / 4) % 4;
                    assertEquals(head == 2, zs[i] == 0f, "only head 2 is zero at " + i);
                }
            }
            try (Hooks neurons = Hooks.on(root).ablate("blocks.0.mlp.hook_post", 0, 5, 63).cache("blocks.0.mlp.hook_post");
                    NDManager scope = model.newScope()) {
                model.forward(scope, CONTEXT_A, neurons);
                float[] post = neurons.cached("blocks.0.mlp.hook_post").toFloatArray(); // (B, T, M)
                for (int i = 0; i < post.length; i++) {
                    int unit = i % 64;
                    if (unit == 0 || unit == 5 || unit == 63) {
                        assertEquals(0f, Math.abs(post[i]), "neuron " + unit + " is ablated");
                    }
                }
            }
        }
    }

    @Test
    void unknownNamesAndWrongShapesAreErrorsThatSayWhatIsAllowed() {
        try (NDManager root = Djl.newManager();
                LanguageModel model = LanguageModel.initialize(CONFIG, 1, DataType.FLOAT32, root);
                Hooks typo = Hooks.on(root).cache("blocks.0.attn.hook_patern");
                Hooks tooFar = Hooks.on(root).ablate("blocks.0.attn.hook_z", 4);
                NDManager scope = model.newScope()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.forward(scope, CONTEXT_A, typo));
            assertTrue(e.getMessage().contains("blocks.0.attn.hook_pattern"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> model.forward(scope, CONTEXT_A, tooFar));
            assertTrue(e.getMessage().contains("outside 0..3"), e.getMessage());
            try (Hooks wrong = Hooks.on(root).patch("hook_embed", scope.zeros(new Shape(1, 5, 16)))) {
                e = assertThrows(IllegalArgumentException.class, () -> model.forward(scope, CONTEXT_A, wrong));
                assertTrue(e.getMessage().contains("(2, 5, 16)"), e.getMessage());
            }
            assertThrows(IllegalArgumentException.class, () -> model.forward(scope, new int[][] {{11}}, Hooks.none()));
        }
    }
}

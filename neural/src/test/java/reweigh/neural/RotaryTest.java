package reweigh.neural;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotary positions against an independent computation: each head's query and key, read before and
 * after the rotation, against the rotation done here in doubles; and the property RoPE exists for,
 * that a first-layer score depends on the two tokens and their offset, not on where they stand.
 */
class RotaryTest {
    // V=11, T=12, C=16, H=2 (D=8), one block
    private static final Transformer ROTARY = new Transformer(11, 12, 16, 2, 1, 2, 0.0, Transformer.Positions.ROTARY);
    private static final int D = ROTARY.headDim();

    @Test
    void queriesAndKeysAreTurnedByTheirPositionAsRopeSays() {
        int[][] tokens = {{3, 1, 4, 1, 5, 9, 2, 6, 5, 3}};
        try (NDManager root = Djl.newManager();
                LanguageModel model = LanguageModel.initialize(ROTARY, 7, DataType.FLOAT64, root);
                Hooks hooks = Hooks.on(root).cache("blocks.0.attn.hook_q", "blocks.0.attn.hook_rot_q",
                        "blocks.0.attn.hook_k", "blocks.0.attn.hook_rot_k")) {
            try (NDManager scope = model.newScope()) {
                model.forward(scope, tokens, hooks);
            }
            for (String x : new String[] {"q", "k"}) {
                double[] plain = hooks.cached("blocks.0.attn.hook_" + x).toDoubleArray(); // (1, T, H, D)
                double[] turned = hooks.cached("blocks.0.attn.hook_rot_" + x).toDoubleArray();
                assertArrayEquals(rope(plain, tokens[0].length, ROTARY.heads()), turned, 1e-12, x);
            }
        }
    }

    @Test
    void aFirstLayerScoreDependsOnTheOffsetNotThePlace() {
        // tokens 4 then 9 at positions (0, 1) and again at (5, 6) after unrelated tokens
        int[][] near = {{4, 9}};
        int[][] far = {{2, 7, 7, 0, 1, 4, 9}};
        try (NDManager root = Djl.newManager();
                LanguageModel model = LanguageModel.initialize(ROTARY, 3, DataType.FLOAT64, root)) {
            double[] a = scores(model, near, 1, 0);
            double[] b = scores(model, far, 6, 5);
            assertArrayEquals(a, b, 1e-12);
            double[] other = scores(model, far, 6, 4); // the same query, a key one place further back
            assertFalse(Math.abs(other[0] - b[0]) < 1e-6, "a different offset gives a different score");
        }
    }

    @Test
    void aRotaryModelHasNoPositionTableAndSurvivesASaveAndLoad(@TempDir Path dir) throws Exception {
        assertFalse(LanguageModel.parameterShapes(ROTARY).containsKey("pos_embed.W_pos"));
        assertFalse(ROTARY.hookNames().contains("hook_pos_embed"));
        assertEquals(ROTARY.parameterCount() + (long) ROTARY.contextLength() * ROTARY.dModel(),
                ROTARY.withPositions(Transformer.Positions.LEARNED).parameterCount());
        int[][] tokens = {{1, 2, 3, 4, 5, 6}};
        Path file = dir.resolve("m.bin");
        try (NDManager root = Djl.newManager();
                LanguageModel model = LanguageModel.initialize(ROTARY, 5, DataType.FLOAT32, root)) {
            model.save(file);
            try (LanguageModel loaded = LanguageModel.load(file, root)) {
                assertEquals(ROTARY, loaded.config());
                assertArrayEquals(model.logProbs(tokens[0]), loaded.logProbs(tokens[0]), 0.0);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new Transformer(11, 12, 12, 4, 1, 2, 0.0, Transformer.Positions.ROTARY),
                "a head width of 3 has no pairs to turn");
    }

    /** q · k / sqrt(D) per head, between the query at {@code query} and the key at {@code key}, after rotation. */
    private static double[] scores(LanguageModel model, int[][] tokens, int query, int key) {
        try (NDManager root = Djl.newManager();
                Hooks hooks = Hooks.on(root).cache("blocks.0.attn.hook_rot_q", "blocks.0.attn.hook_rot_k")) {
            try (NDManager scope = model.newScope()) {
                model.forward(scope, tokens, hooks);
            }
            double[] q = hooks.cached("blocks.0.attn.hook_rot_q").toDoubleArray();
            double[] k = hooks.cached("blocks.0.attn.hook_rot_k").toDoubleArray();
            int h = ROTARY.heads();
            double[] out = new double[h];
            for (int head = 0; head < h; head++) {
                for (int i = 0; i < D; i++) {
                    out[head] += q[(query * h + head) * D + i] * k[(key * h + head) * D + i];
                }
                out[head] /= Math.sqrt(D);
            }
            return out;
        }
    }

    /** The rotation of (1, T, H, D) values: pair (i, i + D/2) at position p turned by p / 10000^(2i/D). */
    private static double[] rope(double[] x, int t, int heads) {
        double[] out = new double[x.length];
        int half = D / 2;
        for (int p = 0; p < t; p++) {
            for (int head = 0; head < heads; head++) {
                int at = (p * heads + head) * D;
                for (int i = 0; i < half; i++) {
                    double angle = p / Math.pow(10000, 2.0 * i / D);
                    double a = x[at + i];
                    double b = x[at + i + half];
                    out[at + i] = a * Math.cos(angle) - b * Math.sin(angle);
                    out[at + i + half] = b * Math.cos(angle) + a * Math.sin(angle);
                }
            }
        }
        return out;
    }
}

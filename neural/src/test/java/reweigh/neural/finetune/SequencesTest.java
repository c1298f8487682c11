package reweigh.neural.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reweigh.neural.Batch;
import reweigh.neural.Djl;
import reweigh.neural.LanguageModel;
import reweigh.neural.Rng;
import reweigh.neural.Transformer;

/**
 * Rows of unlike lengths run in groups of like length ({@link Batch#byLength}) and come back in their own
 * order: each row's log pi(response | prompt), and the gradient of a weighted sum of them, are those of
 * the row run alone (float64).
 */
class SequencesTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void eachRowIsScoredAsItWouldBeAlone(long seed) {
        Rng rng = new Rng(seed);
        Transformer config = new Transformer(9, 30, 8, 2, 2, 2, 0.0, Transformer.Positions.ROTARY);
        int rows = 96; // enough rows of each length that separate passes pay
        int[][] prompts = new int[rows][];
        int[][] responses = new int[rows][];
        int[] lengths = new int[rows];
        for (int r = 0; r < rows; r++) {
            prompts[r] = tokens(rng, 1 + 9 * rng.nextInt(3)); // 1, 10 or 19 tokens, as turns make them
            responses[r] = tokens(rng, 1 + rng.nextInt(3));
            lengths[r] = prompts[r].length + responses[r].length;
        }
        assertTrue(Batch.byLength(lengths, LanguageModel.POSITIONS_PER_PASS).size() > 1, "the rows run in several groups");
        double[] weights = new double[rows];
        for (int r = 0; r < rows; r++) weights[r] = rng.nextGaussian();
        try (NDManager root = Djl.newManager();
                LanguageModel model = LanguageModel.initialize(config, seed, DataType.FLOAT64, root)) {
            double[] together = new double[rows];
            double[] gradient = gradient(model, prompts, responses, weights, together);
            double[] alone = new double[gradient.length];
            for (int r = 0; r < rows; r++) {
                double[] one = new double[1];
                double[] g = gradient(model, new int[][] {prompts[r]}, new int[][] {responses[r]}, new double[] {weights[r]}, one);
                assertEquals(one[0], together[r], 1e-12, "row " + r + "'s log-probability");
                for (int i = 0; i < g.length; i++) alone[i] += g[i];
            }
            for (int i = 0; i < gradient.length; i++) {
                assertEquals(alone[i], gradient[i], 1e-12 * (1 + Math.abs(alone[i])), "gradient element " + i);
            }
        }
    }

    private static int[] tokens(Rng rng, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = 1 + rng.nextInt(8);
        return out;
    }

    /** The gradient of sum_r weights[r] log pi(response_r | prompt_r), flattened; the log-probabilities go to {@code logProb}. */
    private static double[] gradient(LanguageModel model, int[][] prompts, int[][] responses, double[] weights, double[] logProb) {
        java.util.List<Double> out = new java.util.ArrayList<>();
        try (NDManager scope = model.newScope(); Djl.Gradients collector = new Djl.Gradients()) {
            Sequences.Forward f = Sequences.forward(scope, model, prompts, responses);
            System.arraycopy(Sequences.values(f.logProb()), 0, logProb, 0, logProb.length);
            collector.backward(f.logProb().mul(scope.create(weights)).sum());
            for (NDArray p : model.parameters().values()) {
                try (NDArray g = p.getGradient()) {
                    for (double v : g.toDoubleArray()) out.add(v);
                    g.muli(0);
                }
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
}

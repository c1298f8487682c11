package reweigh.neural.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import reweigh.neural.Djl;
import reweigh.neural.LanguageModel;
import reweigh.neural.Transformer;

/**
 * Steering and ablating along a planted direction in a random model, against the model's last stage computed here by
 * hand: after the last block, the next token's log-probabilities are log-softmax(LayerNorm(r + α·d)·W_U + b_U) of the
 * residual r, so steering there must give what that formula gives; ablating must leave no component along d.
 */
class WriterDirectionTest {
    private static final Transformer CONFIG = new Transformer(11, 8, 16, 4, 2, 2);
    private static final String LAST = "blocks.1.hook_resid_post";
    private static final List<int[]> SEQUENCES = List.of(new int[] {1, 2, 3, 7}, new int[] {4, 5, 6, 7}, new int[] {9, 8, 2, 7});

    @Test
    void steeringAtTheLastResidualGivesTheLogProbabilitiesTheLastStageComputes() {
        try (NDManager root = Djl.newManager();
                LanguageModel model = LanguageModel.initialize(CONFIG, 5, DataType.FLOAT32, root)) {
            SplittableRandom rng = new SplittableRandom(3);
            double[] planted = new double[CONFIG.dModel()];
            for (int c = 0; c < planted.length; c++) planted[c] = rng.nextGaussian();
            WriterDirection d = new WriterDirection(LAST, planted);
            double alpha = 0.7;
            List<int[]> prompts = SEQUENCES.stream().map(s -> java.util.Arrays.copyOf(s, s.length - 1)).toList();
            double[][] resid = Activations.at(model, prompts, LAST, -1);
            double[][] steered = Activations.logProbs(model, SEQUENCES, d.steer(alpha));
            Map<String, NDArray> p = model.parameters();
            double[] w = p.get("ln_final.w").toType(DataType.FLOAT64, false).toDoubleArray();
            double[] b = p.get("ln_final.b").toType(DataType.FLOAT64, false).toDoubleArray();
            double[] wu = p.get("unembed.W_U").toType(DataType.FLOAT64, false).toDoubleArray(); // (C, V) row-major
            double[] bu = p.get("unembed.b_U").toType(DataType.FLOAT64, false).toDoubleArray();
            int c = CONFIG.dModel(), v = CONFIG.vocabSize();
            for (int i = 0; i < SEQUENCES.size(); i++) {
                double[] r = new double[c];
                double mean = 0, var = 0;
                for (int k = 0; k < c; k++) mean += (r[k] = resid[i][k] + alpha * planted[k]) / c;
                for (int k = 0; k < c; k++) var += (r[k] - mean) * (r[k] - mean) / c;
                double[] logits = new double[v];
                for (int t = 0; t < v; t++) {
                    logits[t] = bu[t];
                    for (int k = 0; k < c; k++) logits[t] += ((r[k] - mean) / Math.sqrt(var + 1e-5) * w[k] + b[k]) * wu[k * v + t];
                }
                double max = java.util.Arrays.stream(logits).max().orElseThrow(), z = 0;
                for (double l : logits) z += Math.exp(l - max);
                int next = SEQUENCES.get(i)[SEQUENCES.get(i).length - 1];
                double expected = logits[next] - max - Math.log(z);
                assertEquals(expected, steered[i][steered[i].length - 1], 1e-4, "sequence " + i);
            }
            // steering moves the answer: the planted direction is not orthogonal to what the unembedding reads
            double[][] clean = Activations.logProbs(model, SEQUENCES, h -> {});
            assertTrue(Math.abs(clean[0][2] - steered[0][2]) > 1e-3);
        }
    }

    @Test
    void ablatingLeavesNoComponentAlongTheDirectionAndTheDirectionIsTheDifferenceOfMeans() {
        try (NDManager root = Djl.newManager();
                LanguageModel model = LanguageModel.initialize(CONFIG, 5, DataType.FLOAT32, root)) {
            List<int[]> prompts = List.of(new int[] {1, 2, 3}, new int[] {4, 5, 6}, new int[] {9, 8, 2}, new int[] {3, 3, 1});
            double[][] acts = Activations.at(model, prompts, LAST, -1);
            WriterDirection d = WriterDirection.of(LAST, new double[][] {acts[0], acts[1]}, new double[][] {acts[2], acts[3]});
            for (int k = 0; k < acts[0].length; k++) {
                assertEquals((acts[0][k] + acts[1][k]) / 2 - (acts[2][k] + acts[3][k]) / 2, d.direction()[k], 1e-12);
            }
            double[] before = d.project(acts);
            assertTrue(before[0] - before[2] > 0.1, "the first set lies further along its own direction");
            double[][] ablated = Activations.at(model, prompts, LAST, -1, d.ablate());
            for (double x : d.project(ablated)) assertEquals(0, x, 1e-4);
            // steering by alpha moves every projection by alpha times the direction's length
            double[][] moved = Activations.at(model, prompts, LAST, -1, d.steer(0.5));
            double[] after = d.project(moved);
            for (int i = 0; i < prompts.size(); i++) assertEquals(before[i] + 0.5 * d.length(), after[i], 1e-4);
        }
    }
}

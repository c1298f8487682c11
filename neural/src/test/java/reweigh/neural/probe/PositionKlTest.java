package reweigh.neural.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reweigh.neural.Djl;
import reweigh.neural.LanguageModel;
import reweigh.neural.Rng;
import reweigh.neural.Transformer;

/**
 * Per-position KL against the chain rule: on two random models over 5 tokens, the KL between their distributions
 * over every two-token continuation of a prompt, summed over all 25 continuations, equals the first position's KL
 * plus the second's averaged over the first token; and the per-position means of sampled continuations sum to it
 * within five standard errors.
 */
class PositionKlTest {
    private static final Transformer CONFIG = new Transformer(5, 6, 16, 4, 2, 2);
    private static final int[] PROMPT = {1, 2};

    @Test
    void perPositionKlSumsToTheSequenceKl() {
        try (NDManager root = Djl.newManager();
                LanguageModel p = LanguageModel.initialize(CONFIG, 3, DataType.FLOAT32, root);
                LanguageModel q = LanguageModel.initialize(CONFIG, 4, DataType.FLOAT32, root)) {
            List<int[]> all = new ArrayList<>();
            for (int a = 0; a < 5; a++) for (int b = 0; b < 5; b++) all.add(new int[] {PROMPT[0], PROMPT[1], a, b});
            double[][] lp = p.logProbs(all.toArray(int[][]::new)), lq = q.logProbs(all.toArray(int[][]::new));
            double sequenceKl = 0, chain = 0;
            double[][] kl = PositionKl.along(p, q, all, PROMPT.length);
            for (int i = 0; i < all.size(); i++) {
                double logP = lp[i][1] + lp[i][2], logQ = lq[i][1] + lq[i][2]; // tokens 2 and 3 given what precedes them
                sequenceKl += Math.exp(logP) * (logP - logQ);
                assertEquals(2, kl[i].length);
                assertEquals(kl[0][0], kl[i][0], 1e-6, "the first position's distribution is the prompt's, the same for every continuation");
                if (i % 5 == 0) chain += Math.exp(lp[i][1]) * kl[i][1]; // once per first token a, weighted by p(a | prompt)
                assertTrue(kl[i][0] >= -1e-7 && kl[i][1] >= -1e-7, "KL is never negative");
            }
            chain += kl[0][0];
            assertTrue(sequenceKl > 1e-3, "two random models differ: " + sequenceKl);
            assertEquals(sequenceKl, chain, 1e-5);

            // sampled continuations: the per-position means sum to the same KL, an unbiased estimate
            int n = 4000;
            int[][] prompts = new int[n][];
            java.util.Arrays.fill(prompts, PROMPT);
            int[][] written = p.sample(prompts, 2, -1, new Rng(11));
            List<int[]> sampled = new ArrayList<>();
            for (int[] w : written) sampled.add(new int[] {PROMPT[0], PROMPT[1], w[0], w[1]});
            double[][] along = PositionKl.along(p, q, sampled, PROMPT.length);
            double[] byPosition = PositionKl.byPosition(along, 2);
            double mean = byPosition[0] + byPosition[1], sq = 0;
            for (double[] row : along) sq += Math.pow(row[0] + row[1] - mean, 2);
            double se = Math.sqrt(sq / (n - 1) / n);
            assertEquals(kl[0][0], byPosition[0], 1e-6);
            assertEquals(sequenceKl, mean, 5 * se, "mean " + mean + " ± " + se);

            // a model against itself: zero everywhere
            for (double[] row : PositionKl.along(p, p, all, PROMPT.length)) for (double v : row) assertEquals(0, v, 1e-7);
        }
    }

    @Test
    void aSequenceThatEndedCountsZeroAtThePositionsItNeverReached() {
        double[] mean = PositionKl.byPosition(new double[][] {{0.4, 0.2}, {0.6}}, 3);
        assertEquals(0.5, mean[0], 1e-12);
        assertEquals(0.1, mean[1], 1e-12);
        assertEquals(0, mean[2], 0);
    }
}

package reweigh.neural.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Oracle: dW built as U diag(s) V' with random orthonormal U, V, so its singular values are s by construction. */
class WeightChangeTest {

    @ParameterizedTest
    @CsvSource({"1, 16, 8", "2, 8, 16", "3, 32, 32", "4, 64, 16", "5, 5, 3"})
    void singularValuesRelativeNormAndEffectiveRankMatchAMatrixOfKnownSingularValues(long seed, int rows, int cols) {
        SplittableRandom rng = new SplittableRandom(seed);
        int k = Math.min(rows, cols);
        double[] s = new double[k];
        for (int i = 0; i < k; i++) s[i] = i < k / 2 ? 0.1 + rng.nextDouble() * 3 : 0; // rank k/2, the rest exactly 0
        double[][] delta = known(rows, cols, s, rng);
        double[][] before = new double[rows][cols];
        for (double[] row : before) for (int j = 0; j < cols; j++) row[j] = gaussian(rng);
        double[][] after = new double[rows][cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) after[i][j] = before[i][j] + delta[i][j];

        double[] sorted = s.clone();
        Arrays.sort(sorted);
        double[] expected = new double[k];
        for (int i = 0; i < k; i++) expected[i] = sorted[k - 1 - i];
        double[] found = WeightChange.singularValues(delta);
        for (int i = 0; i < k; i++) assertEquals(expected[i], found[i], 1e-9, "singular value " + i);

        WeightChange c = WeightChange.of("blocks.1.mlp.W_in", before, after);
        double sumSquares = Arrays.stream(s).map(x -> x * x).sum();
        assertEquals(Math.sqrt(sumSquares) / WeightChange.frobenius(before), c.relativeNorm(), 1e-9);
        double total = Arrays.stream(s).sum();
        double entropy = 0;
        for (double x : s) if (x > 0) entropy -= x / total * Math.log(x / total);
        assertEquals(Math.exp(entropy), c.effectiveRank(), 1e-6);
        assertEquals(1, c.layer());
        assertEquals(k, c.fullRank());
    }

    @Test
    void effectiveRankOfEqualSingularValuesIsTheirCountAndOfZeroIsZero() {
        SplittableRandom rng = new SplittableRandom(9);
        for (int r = 1; r <= 6; r++) {
            double[] s = new double[8];
            Arrays.fill(s, 0, r, 2.5);
            double[][] delta = known(12, 8, s, rng);
            assertEquals(r, WeightChange.effectiveRank(WeightChange.singularValues(delta)), 1e-6);
        }
        assertEquals(0, WeightChange.effectiveRank(new double[] {0, 0}));
        WeightChange none = WeightChange.of("embed.W_E", new double[][] {{1, 2}, {3, 4}}, new double[][] {{1, 2}, {3, 4}});
        assertEquals(0, none.relativeNorm());
        assertEquals(-1, none.layer());
    }

    @Test
    void perLayerNormsPoolEveryMatrixOfABlock() {
        List<WeightChange> changes = List.of(new WeightChange("blocks.0.attn.W_Q", 0, 3, 10, 1, 4),
                new WeightChange("blocks.0.mlp.W_in", 0, 4, 10, 1, 4), new WeightChange("unembed.W_U", -1, 1, 2, 1, 4),
                new WeightChange("blocks.1.mlp.W_in", 1, 0, 5, 0, 4));
        Map<Integer, Double> byLayer = WeightChange.relativeNormByLayer(changes);
        assertEquals(List.of(0, 1, -1), List.copyOf(byLayer.keySet()));
        assertEquals(5 / Math.sqrt(200), byLayer.get(0), 1e-12);
        assertEquals(0.5, byLayer.get(-1), 1e-12);
    }

    /** U diag(s) V' with U (rows, k), V (cols, k) orthonormal columns from Gram-Schmidt on Gaussians. */
    static double[][] known(int rows, int cols, double[] s, SplittableRandom rng) {
        int k = s.length;
        double[][] u = orthonormal(rows, k, rng);
        double[][] v = orthonormal(cols, k, rng);
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double x = 0;
                for (int m = 0; m < k; m++) x += u[m][i] * s[m] * v[m][j];
                out[i][j] = x;
            }
        }
        return out;
    }

    /** k orthonormal vectors of length n (k <= n). */
    private static double[][] orthonormal(int n, int k, SplittableRandom rng) {
        double[][] q = new double[k][n];
        for (int m = 0; m < k; m++) {
            for (int i = 0; i < n; i++) q[m][i] = gaussian(rng);
            for (int pass = 0; pass < 2; pass++) { // twice, for numerical orthogonality
                for (int p = 0; p < m; p++) {
                    double dot = 0;
                    for (int i = 0; i < n; i++) dot += q[m][i] * q[p][i];
                    for (int i = 0; i < n; i++) q[m][i] -= dot * q[p][i];
                }
            }
            double norm = Math.sqrt(Arrays.stream(q[m]).map(x -> x * x).sum());
            for (int i = 0; i < n; i++) q[m][i] /= norm;
        }
        return q;
    }

    private static double gaussian(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }
}

package reweigh.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * E_{y~p}[k1] and E_{y~p}[k3], summed exactly over y, against KL(p || q) = sum_y p log(p/q), on seeded
 * random distributions of 2..9 outcomes with full support (k3's expectation is the KL only when q puts no
 * mass outside p's support: E_p[k3] = KL - q(outside supp p)). Tolerance 1e-12: a sum of at most nine terms
 * of size <= ~20 loses ~1e-14 to rounding.
 */
class KlEstimatorTest {

    private static double[] randomDistribution(SplittableRandom rng, int n, double spread) {
        double[] p = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp(spread * rng.nextGaussian());
            sum += p[i];
        }
        for (int i = 0; i < n; i++) p[i] /= sum;
        return p;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void expectationsEqualTheExactKl(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (int trial = 0; trial < 50; trial++) {
            int n = 2 + rng.nextInt(8);
            double spread = 0.2 + 2 * rng.nextDouble();
            double[] p = randomDistribution(rng, n, spread), q = randomDistribution(rng, n, spread);
            double kl = 0, k1 = 0, k3 = 0;
            for (int y = 0; y < n; y++) {
                kl += p[y] * (Math.log(p[y]) - Math.log(q[y]));
                k1 += p[y] * KlEstimator.K1.estimate(p[y], q[y]);
                double k3y = KlEstimator.K3.estimate(p[y], q[y]);
                assertTrue(k3y >= 0, "k3 must be non-negative per sample, got " + k3y);
                k3 += p[y] * k3y;
            }
            assertTrue(kl > 0, "distinct random distributions have positive KL");
            assertEquals(kl, k1, 1e-12, "E_p[k1], n=" + n);
            assertEquals(kl, k3, 1e-12, "E_p[k3], n=" + n);
        }
    }

    /** KL(p || p) = 0 for both, sample by sample. */
    @ParameterizedTest(name = "p={0}")
    @ValueSource(doubles = {1e-9, 0.1, 0.5, 1.0})
    void zeroWhenEqual(double p) {
        assertEquals(0.0, KlEstimator.K1.estimate(p, p), 0.0);
        assertEquals(0.0, KlEstimator.K3.estimate(p, p), 0.0);
    }
}

package reweigh.neural.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import reweigh.finetune.KlEstimator;

/** Each loss's closed-form gradient in the sequence log-probs against central finite differences. */
class ObjectivesTest {
    private static final double H = 1e-6;

    private static double[] uniform(SplittableRandom rng, int n, double lo, double hi) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = lo + (hi - lo) * rng.nextDouble();
        return x;
    }

    private static void assertGradient(Function<double[], Objectives.Objective> loss, double[] at) {
        double[] analytic = loss.apply(at).gradient();
        for (int i = 0; i < at.length; i++) {
            double[] up = at.clone();
            double[] down = at.clone();
            up[i] += H;
            down[i] -= H;
            double numeric = (loss.apply(up).loss() - loss.apply(down).loss()) / (2 * H);
            assertEquals(numeric, analytic[i], 1e-6, "d loss / d log pi of row " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void policyGradientSurrogate(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] advantage = uniform(rng, 6, -2, 2);
        assertGradient(lp -> Objectives.policyGradient(lp, advantage), uniform(rng, 6, -5, -0.1));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void ppoClippedSurrogate(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] old = uniform(rng, 8, -5, -0.1);
        double[] advantage = uniform(rng, 8, -2, 2);
        double[] at = old.clone();
        for (int i = 0; i < at.length; i++) at[i] += i % 2 == 0 ? 0.05 : 0.5; // ratios 1.05 (inside) and 1.65 (clipped when A > 0)
        assertGradient(lp -> Objectives.ppo(lp, old, advantage, 0.2), at);
        // at the old policy nothing is clipped and PPO is the policy gradient
        assertArrayEquals(Objectives.policyGradient(old, advantage).gradient(), Objectives.ppo(old, old, advantage, 0.2).gradient(), 1e-12);
        assertEquals(0.0, Objectives.ppo(old, old, advantage, 0.2).clipped());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void dpoLoss(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] ref = uniform(rng, 10, -6, -0.1);
        assertGradient(lp -> Objectives.dpo(lp, ref, 0.5), uniform(rng, 10, -6, -0.1));
        assertEquals(Math.log(2), Objectives.dpo(ref, ref, 0.5).loss(), 1e-12, "at the reference the loss is log 2");
    }

    @ParameterizedTest
    @EnumSource(KlEstimator.class)
    void klInLogSpaceIsTheExactEnginesEstimator(KlEstimator estimator) {
        SplittableRandom rng = new SplittableRandom(4);
        for (int i = 0; i < 100; i++) {
            double p = 0.001 + rng.nextDouble();
            double q = 0.001 + rng.nextDouble();
            assertEquals(estimator.estimate(p, q), Objectives.kl(estimator, Math.log(p), Math.log(q)), 1e-12);
        }
    }

    @Test
    void baselines() {
        double[] x = {1, 2, 3, 10, 20, 30};
        assertArrayEquals(new double[] {-1.5, 0, 1.5, -15, 0, 15}, Objectives.leaveOneOut(x, 3), 1e-12);
        double[] w = Objectives.whiten(x);
        assertEquals(0, Objectives.mean(w), 1e-12);
        double var = 0;
        for (double v : w) var += v * v / w.length;
        assertEquals(1, var, 1e-12);
        assertArrayEquals(new double[3], Objectives.whiten(new double[] {2, 2, 2}));
    }
}

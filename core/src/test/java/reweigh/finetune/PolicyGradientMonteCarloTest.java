package reweigh.finetune;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sampled estimators of reinforce (k = 1) and rloo (k = 4), averaged over many independent calls,
 * against the exact expectation Problem.expectedPolicyGradient, for both KL estimators. The evaluator has
 * noise 0.5 and detect 0.4, so the sampled reward path (caught or not, coincidence with the claim, rater
 * noise) is what is averaged.
 *
 * <p>Tolerance per coordinate: |mean - exact| < 5 SE, SE = sd of the per-call estimates / sqrt(CALLS).
 * Calls are independent (one SplittableRandom stream, consecutive draws), so for an unbiased estimator
 * each coordinate fails with probability ~6e-7; the seed is fixed, so the outcome is reproducible. To show
 * the tolerance has teeth, the test also requires 5 SE to be under 5% of the largest exact coordinate.
 */
class PolicyGradientMonteCarloTest {
    private static final int CALLS = 20_000;
    private static final int CONTEXTS_PER_CALL = 25;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("reinforce", 1, KlEstimator.K1),
                Arguments.of("reinforce", 1, KlEstimator.K3),
                Arguments.of("rloo", 4, KlEstimator.K1),
                Arguments.of("rloo", 4, KlEstimator.K3));
    }

    @ParameterizedTest(name = "{0} k={1} {2}")
    @MethodSource("cases")
    void sampledGradientIsUnbiased(String method, int k, KlEstimator kl) {
        Problem problem = Fixtures.variedProblem();
        double beta = 0.3;
        double[] theta = Fixtures.randomTheta(problem.algorithms, 99, 1.0);
        double[] exact = problem.expectedPolicyGradient(theta, beta, kl);

        int n = theta.length;
        double[] sum = new double[n], sumSq = new double[n];
        SplittableRandom rng = new SplittableRandom(31_337 + k * 7L + kl.ordinal());
        for (int call = 0; call < CALLS; call++) {
            double[] g = new double[n];
            PolicyGradient.estimate(problem, theta, CONTEXTS_PER_CALL, k, beta, kl, rng, g);
            for (int a = 0; a < n; a++) {
                sum[a] += g[a];
                sumSq[a] += g[a] * g[a];
            }
        }
        double scale = 0;
        for (double v : exact) scale = Math.max(scale, Math.abs(v));
        for (int a = 0; a < n; a++) {
            double mean = sum[a] / CALLS;
            double variance = (sumSq[a] - CALLS * mean * mean) / (CALLS - 1);
            double se = Math.sqrt(Math.max(variance, 0) / CALLS);
            String who = method + " " + kl.toString() + " " + problem.population.get(a).name();
            assertTrue(Math.abs(mean - exact[a]) < 5 * se,
                    who + ": mean " + mean + " exact " + exact[a] + " (" + (mean - exact[a]) / se + " SE)");
            assertTrue(5 * se < 0.05 * scale, who + ": 5 SE = " + 5 * se + " is not small against max |g| = " + scale);
        }
    }
}

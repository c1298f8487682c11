package reweigh.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reweigh.population.Response;

/**
 * The softmax-logit gradients against central finite differences, at seeded random logits.
 *
 * <p>Step h = 1e-5: the truncation error of a central difference is h^2 f'''/6 ~ 1e-10 and the rounding
 * error eps |f| / h ~ 1e-11 for |f| <= ~50 (log-probabilities and rewards here), so both are far below the
 * tolerance |analytic - fd| <= 1e-6 |fd| + 1e-8. The 1e-8 floor covers coordinates whose true derivative is ~0.
 */
class GradientTest {
    private static final double H = 1e-5;
    private static final double RTOL = 1e-6;
    private static final double ATOL = 1e-8;

    private static double[] shifted(double[] theta, int a, double by) {
        double[] t = theta.clone();
        t[a] += by;
        return t;
    }

    private static void assertClose(double fd, double analytic, String what) {
        assertEquals(fd, analytic, RTOL * Math.abs(fd) + ATOL, what);
    }

    /** d log pi_w(y|x) / d theta_a = w_a (pi_a(y|x) / pi_w(y|x) - 1), for every context and every response with mass. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void logLikelihoodGradientMatchesFiniteDifferences(long seed) {
        Problem problem = Fixtures.variedProblem();
        double[] theta = Fixtures.randomTheta(problem.algorithms, seed, 1.5);
        double[] w = Logits.softmax(theta);
        double[][] mix = problem.mixtureTable(w);
        int checked = 0;
        for (int x = 0; x < problem.train.size(); x++) {
            for (int y = 0; y < Response.COUNT; y++) {
                if (mix[x][y] == 0) continue;
                double[] g = new double[theta.length];
                Logits.addLogLikelihoodGradient(w, problem.pi, x, y, mix[x][y], 1.0, g);
                for (int a = 0; a < theta.length; a++) {
                    double up = Math.log(problem.mixtureTable(Logits.softmax(shifted(theta, a, H)))[x][y]);
                    double down = Math.log(problem.mixtureTable(Logits.softmax(shifted(theta, a, -H)))[x][y]);
                    assertClose((up - down) / (2 * H), g[a], "x=" + problem.train.get(x) + " y=" + Response.ofIndex(y) + " a=" + a);
                    checked++;
                }
            }
        }
        assertTrue(checked > 100, "too few (x, y, a) checked: " + checked);
    }

    /**
     * With k1 shaping, E[(r - beta k1) d log pi] is the exact gradient of J = E r - beta KL(pi_w || pi_w0): the
     * extra term -beta E[d log pi] vanishes because probabilities sum to 1.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14, 15})
    void k1PolicyGradientIsTheGradientOfTheRegularisedReward(long seed) {
        Problem problem = Fixtures.variedProblem();
        double[] theta = Fixtures.randomTheta(problem.algorithms, seed, 1.5);
        for (double beta : new double[] {0.0, 0.1, 1.0}) {
            double[] g = problem.expectedPolicyGradient(theta, beta, KlEstimator.K1);
            for (int a = 0; a < theta.length; a++) {
                double fd = (problem.regularisedReward(shifted(theta, a, H), beta)
                        - problem.regularisedReward(shifted(theta, a, -H), beta)) / (2 * H);
                assertClose(fd, g[a], "beta=" + beta + " a=" + a);
            }
        }
    }

    /** Sanity of the oracle itself: the gradients are not trivially zero at these logits. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12})
    void gradientIsNotTrivial(long seed) {
        Problem problem = Fixtures.variedProblem();
        double[] g = problem.expectedPolicyGradient(Fixtures.randomTheta(problem.algorithms, seed, 1.5), 0.1, KlEstimator.K1);
        double norm = 0;
        for (double v : g) norm = Math.max(norm, Math.abs(v));
        assertTrue(norm > 1e-2, "max |gradient| " + norm);
    }
}

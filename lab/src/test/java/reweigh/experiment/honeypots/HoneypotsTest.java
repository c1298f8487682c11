package reweigh.experiment.honeypots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reweigh.experiment.Specs;
import reweigh.experiment.Tuner;
import reweigh.finetune.Problem;
import reweigh.finetune.Recorder;
import reweigh.population.Dist;
import reweigh.population.Response;
import reweigh.spec.Spec;
import reweigh.world.ContextSet;

/**
 * Honeypots against the closed form. With a share h of honeypots (contexts that look unobserved but are
 * rated), R_a = (1−h)·R_a^o + h·R_a^u. The perfect deceiver and the honest algorithm agree on observed
 * contexts (R^o = 0.95 each), so under kl-rl Δ log-odds = h·(R_h^u − R_d^u)/beta, with R_h^u = 0.95
 * (error 0.05, wrong scores 0) and R_d^u = detect·caught + (1−detect)·correct = 1 − 2·detect. So
 * Δ = h·(2·detect − 0.05)/beta, and the deceiver's odds fall tenfold from h* = beta·ln 10/(2·detect − 0.05).
 */
class HoneypotsTest {
    static double byHand(double h, double detect, double beta) { return h * (2 * detect - 0.05) / beta; }

    static Stream<double[]> cases() {
        SplittableRandom rng = new SplittableRandom(67);
        return Stream.generate(() -> new double[] {rng.nextDouble(), rng.nextDouble(), rng.nextDouble(0.05, 1)}).limit(10);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void klRlMovesTheLogOddsByTheClosedForm(double[] c) throws Exception {
        Spec spec = Specs.exact("honeypots", "finetune[0].beta=" + c[2]);
        double delta = Honeypots.deltaLogOdds(spec, Specs.method(spec, "kl-rl"), c[0], c[1]);
        assertEquals(byHand(c[0], c[1], c[2]), delta, 1e-9);
    }

    @Test
    void theSmallestShareThatCutsTheOddsTenfoldIsTheClosedForm() throws Exception {
        Spec spec = Specs.exact("honeypots");
        for (double detect : new double[] {0.25, 0.5, 1.0}) {
            double expected = 0.1 * Math.log(10) / (2 * detect - 0.05);
            assertEquals(expected, Honeypots.closedFormThreshold(spec, 0.1, detect, 10), 1e-12, "detect " + detect);
            assertEquals(expected, Honeypots.threshold(spec, Specs.method(spec, "kl-rl"), detect, 10), 1e-4, "bisection, detect " + detect);
        }
        // an uncaught lie pays 1 > 0.95: honeypots then reward the deceiver and no share cuts its odds
        assertEquals(Double.POSITIVE_INFINITY, Honeypots.closedFormThreshold(spec, 0.1, 0.0, 10));
        assertEquals(Double.POSITIVE_INFINITY, Honeypots.threshold(spec, Specs.method(spec, "kl-rl"), 0.0, 10));
    }

    @Test
    void theReplicatorsFixedPointHasTheSameLogOdds() throws Exception {
        Spec spec = Specs.exact("honeypots");
        for (double h : new double[] {0.1, 0.4}) {
            Spec v = Honeypots.variant(spec, h, 0.5);
            Problem problem = Tuner.problem(v);
            Recorder recorder = new Recorder(problem, 1, f -> {});
            new reweigh.finetune.Replicator(0.1, 20000, 0.1).run(problem, 1, recorder);
            double[] w = recorder.points().get(recorder.points().size() - 1).weights();
            double delta = Tuner.logOdds(v, w) - Tuner.logOdds(v, v.population().priors());
            assertEquals(byHand(h, 0.5, 0.1), delta, 1e-6, "h " + h);
        }
    }

    /**
     * The returns the closed form uses, by Monte Carlo: contexts drawn from the rewarded set (honeypots
     * included), responses from each algorithm, one sampled rating each (a lie caught or not). 200,000
     * draws; 4.5 standard deviations of a rating in [−1, 1] is under 0.011.
     */
    @Test
    void theHoneypotReturnsMatchSampledRatings() throws Exception {
        Spec v = Honeypots.variant(Specs.exact("honeypots"), 0.3, 0.5);
        ContextSet rewarded = v.world().rewardedContexts();
        double[] exact = new Problem(v.population(), rewarded, v.evaluator()).returns();
        SplittableRandom rng = new SplittableRandom(71);
        int n = 200_000;
        for (int a = 0; a < v.population().size(); a++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                var x = rewarded.get(rewarded.sample(rng));
                Response y = Response.ofIndex(Dist.sample(v.population().get(a).algorithm().respond(x).vector(), rng));
                sum += v.evaluator().sample(x, y, rng);
            }
            assertEquals(exact[a], sum / n, 4.5 / Math.sqrt(n), v.population().names().get(a));
        }
        // and by hand: honest 0.95; the deceiver 0.7·0.95 + 0.3·0 (a lie scores 0.5·(−1) + 0.5·1)
        assertEquals(0.95, exact[0], 1e-12);
        assertEquals(0.7 * 0.95, exact[1], 1e-12);
        assertTrue(rewarded.contexts().stream().anyMatch(x -> !x.observed()), "honeypots look unobserved");
    }
}

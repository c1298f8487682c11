package reweigh.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reweigh.evaluate.Evaluator;
import reweigh.population.Catalogue.Deceiver;
import reweigh.population.Catalogue.Guesser;
import reweigh.population.Catalogue.Honest;
import reweigh.population.Catalogue.Refuser;
import reweigh.population.Catalogue.Sycophant;
import reweigh.population.Population;
import reweigh.world.World;

/**
 * The replicator dynamic's fixed point against kl-rl's closed form w0 exp(R/beta) / Z.
 *
 * <p>The replicator contracts the distance to the fixed point (in logits, up to a shared constant) by
 * (1 - lr·beta) per step. We choose lr = 0.5 / beta, so the factor is 0.5, and 100 steps: 0.5^100 ~ 8e-31,
 * far below the tolerance |Δw| < 1e-9 for every weight, which is then limited only by rounding.
 */
class ReplicatorTest {
    private static final int STEPS = 100;

    static Stream<Arguments> cases() {
        Population everyKind = Fixtures.everyKind();
        Population withZeroPrior = new Population(List.of(
                Fixtures.member("honest", new Honest(0.05), 0.5),
                Fixtures.member("deceiver", new Deceiver(0.2, 0.05), 0.3),
                Fixtures.member("refuser", new Refuser(), 0.0), // a zero prior must stay zero in both
                Fixtures.member("guesser", new Guesser(), 0.2)));
        Population lopsided = new Population(List.of(
                Fixtures.member("sycophant", new Sycophant(), 0.98),
                Fixtures.member("honest", new Honest(0.3), 0.02)));
        Problem varied = Fixtures.variedProblem();
        Problem zero = new Problem(withZeroPrior, World.DEFAULTS.rewardedContexts(), Evaluator.DEFAULTS);
        Problem biased = new Problem(lopsided, World.DEFAULTS.rewardedContexts(), new Evaluator(1, 0, 0.8, 0.5, -1, 0, 0, 0));
        return Stream.of(
                Arguments.of("every kind", varied, 0.05), Arguments.of("every kind", varied, 0.1), Arguments.of("every kind", varied, 1.0),
                Arguments.of("zero prior", zero, 0.05), Arguments.of("zero prior", zero, 0.5),
                Arguments.of("lopsided", biased, 0.02), Arguments.of("lopsided", biased, 2.0));
    }

    @ParameterizedTest(name = "{0}, beta={2}")
    @MethodSource("cases")
    void fixedPointIsTheKlRlOptimum(String name, Problem problem, double beta) {
        Recorder replicated = new Recorder(problem, 10, null);
        new Replicator(0.5 / beta, STEPS, beta).run(problem, 0, replicated);
        Recorder closed = new Recorder(problem, 1, null);
        new KlRl(beta).run(problem, 0, closed);

        double[] fixedPoint = replicated.last().weights();
        double[] optimum = closed.last().weights();
        assertEquals(STEPS, replicated.last().step());
        for (int a = 0; a < optimum.length; a++) {
            assertEquals(optimum[a], fixedPoint[a], 1e-9, problem.population.get(a).name());
        }
        // the closed form is not trivially the prior, so agreement means the dynamic actually moved there
        double moved = 0;
        double[] w0 = problem.population.priors();
        for (int a = 0; a < w0.length; a++) moved = Math.max(moved, Math.abs(optimum[a] - w0[a]));
        assertTrue(moved > 1e-3, "kl-rl barely moves the weights (" + moved + "): a weak test case");
    }
}

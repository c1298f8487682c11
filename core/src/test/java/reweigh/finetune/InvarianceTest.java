package reweigh.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import reweigh.evaluate.Evaluator;
import reweigh.population.Catalogue.Deceiver;
import reweigh.population.Catalogue.Guesser;
import reweigh.population.Catalogue.Honest;
import reweigh.population.Catalogue.PowerSeeker;
import reweigh.population.Catalogue.Refuser;
import reweigh.population.Catalogue.Sycophant;
import reweigh.population.Population;
import reweigh.world.World;

/**
 * The claim, as the engine computes it. Training is observed only (World.DEFAULTS). A perfect deceiver
 * (leak 0, the honest agent's error) gives the honest agent's response distribution in every training
 * context, so every multiplicative method (kl-rl, replicator, EM on filtered or best-of-n samples) keeps the
 * honest:deceiver odds at the prior, whatever the evaluator, while the other algorithms move.
 *
 * <p>Tolerance 1e-9 on the log-odds at every recorded point: the invariance is exact in real arithmetic,
 * and a few hundred multiplicative steps accumulate ~1e-13 of rounding.
 */
class InvarianceTest {
    private static final double ERROR = 0.05;
    private static final int HONEST = 0, DECEIVER = 1, REFUSER = 5;

    private static Population population(double leak) {
        return new Population(List.of(
                Fixtures.member("honest", new Honest(ERROR), 0.30),
                Fixtures.member("deceiver", new Deceiver(leak, ERROR), 0.10),
                Fixtures.member("sycophant", new Sycophant(), 0.20),
                Fixtures.member("guesser", new Guesser(), 0.20),
                Fixtures.member("power-seeker", new PowerSeeker(ERROR), 0.10),
                Fixtures.member("refuser", new Refuser(), 0.10)));
    }

    /** Every knob on, rater noise 0.2 so the sampled methods see random rewards. */
    private static Evaluator evaluator(double detect) {
        return new Evaluator(1.0, 0.0, 0.3, detect, -1.0, 0.2, -0.5, 0.2);
    }

    static Stream<Arguments> methodsAndDetect() {
        List<Method> methods = List.of(
                new KlRl(0.1),
                new Replicator(0.1, 500, 0.1),
                new SftFiltered(20_000, 0.5, SftFiltered.Fit.EM, 200, 0.5, 64),
                new BestOfN(4, 5_000, 200));
        return methods.stream().flatMap(m -> Stream.of(0.0, 0.3, 0.7, 1.0).map(d -> Arguments.of(m, d)));
    }

    @ParameterizedTest(name = "{0}, detect={1}")
    @MethodSource("methodsAndDetect")
    void perfectDeceiverKeepsThePriorOdds(Method method, double detect) {
        Problem problem = new Problem(population(0.0), World.DEFAULTS.rewardedContexts(), evaluator(detect));
        double prior = Fixtures.logOdds(problem.population.priors(), HONEST, DECEIVER);
        Recorder recorder = new Recorder(problem, 20, null);
        method.run(problem, 42, recorder);

        for (Recorder.Point point : recorder.points()) {
            assertEquals(prior, Fixtures.logOdds(point.weights(), HONEST, DECEIVER), 1e-9,
                    method.name() + " at step " + point.step());
        }
        // not vacuous: training moved the population (the refuser, scored -0.5, loses weight)
        double[] last = recorder.last().weights();
        assertTrue(last[REFUSER] < 0.5 * problem.population.priors()[REFUSER],
                method.name() + ": refuser's weight " + last[REFUSER] + " barely moved");
    }

    /** Every decade of beta from 1e-300 to 1e300, and the smallest and largest doubles a spec accepts. */
    static Stream<Double> everyBeta() {
        Stream<Double> decades = java.util.stream.IntStream.rangeClosed(-300, 300).filter(e -> e % 10 == 0 || Math.abs(e) < 20)
                .mapToObj(e -> Double.parseDouble("1e" + e));
        return Stream.concat(decades, Stream.of(Double.MIN_VALUE, Double.MIN_NORMAL, 1e-9, 1e-15, 1e-300, Double.MAX_VALUE));
    }

    /**
     * kl-rl keeps the perfect deceiver's odds exactly (not to 1e-9: bit for bit) at every beta, and its weights
     * match an oracle that computes w*_a = 1 / sum_b (w0_b / w0_a) exp((R_b - R_a) / beta) term by term, with
     * no max subtracted and no softmax: a term that overflows makes w*_a 0, one that underflows drops out.
     * Before the log-space form, beta = 1e-9 moved the odds by 1.98e-8 nats, 1e-15 by -0.099, and at 1e-300
     * honest and deceiver came out 0.5 / 0.5. Tolerance on the weights 1e-12 absolute (rounding of a sum of 6).
     */
    @ParameterizedTest(name = "beta={0}")
    @MethodSource("everyBeta")
    void klRlKeepsThePriorOddsExactlyAtEveryBeta(double beta) {
        Problem problem = new Problem(population(0.0), World.DEFAULTS.rewardedContexts(), evaluator(0.5));
        double[] w0 = problem.population.priors();
        double[] returns = problem.returns();
        assertEquals(returns[HONEST], returns[DECEIVER], 0.0, "the same training behaviour earns the same return, bit for bit");
        Recorder recorder = new Recorder(problem, 1, null);
        new KlRl(beta).run(problem, 0, recorder);
        Recorder.Point last = recorder.last();

        assertEquals(Fixtures.logOdds(w0, HONEST, DECEIVER), last.logOdds(HONEST, DECEIVER), 0.0, "honest:deceiver log-odds");
        double sum = 0;
        for (int a = 0; a < w0.length; a++) {
            double inverse = 0;
            for (int b = 0; b < w0.length; b++) inverse += w0[b] / w0[a] * Math.exp((returns[b] - returns[a]) / beta);
            double oracle = 1 / inverse;
            assertEquals(oracle, last.weights()[a], 1e-12, "weight " + a);
            assertTrue(Double.isFinite(last.weights()[a]));
            sum += last.weights()[a];
        }
        assertEquals(1, sum, 1e-12);
        if (last.weights()[HONEST] > 0) {
            assertEquals(Fixtures.logOdds(w0, HONEST, DECEIVER), Fixtures.logOdds(last.weights(), HONEST, DECEIVER), 1e-12,
                    "and the weights carry the same odds where they are not 0");
        }
        // the other odds are the closed form's: log(w0_a / w0_b) + (R_a - R_b) / beta, finite while that is
        for (int a = 0; a < w0.length; a++) {
            double expected = Math.log(w0[a] / w0[HONEST]) + (returns[a] - returns[HONEST]) / beta;
            assertEquals(expected, last.logOdds(a, HONEST), Math.abs(expected) * 1e-12, "log-odds " + a + ":honest");
            if (last.weights()[a] > 1e-200 && last.weights()[HONEST] > 1e-200) {
                assertEquals(Fixtures.logOdds(last.weights(), a, HONEST), last.logOdds(a, HONEST), 1e-9 * (1 + Math.abs(expected)));
            }
        }
    }

    /**
     * A leaky deceiver (leak l = 0.2) lies in observed contexts too. With bias and power off, a lie scores
     * detect·(-1) + (1-detect)·1 and the honest answer 1-e, so R_honest - R_deceiver = l(2·detect - e) and
     * kl-rl moves the log-odds by exactly l(2·detect - e)/beta: up whenever detect > e/2. Tolerance 1e-9
     * (a closed form; rounding only).
     */
    @ParameterizedTest(name = "detect={0}")
    @ValueSource(doubles = {0.25, 0.5, 0.9, 1.0})
    void leakyDeceiverLosesOddsUnderKlRlWhenLiesAreCaught(double detect) {
        double leak = 0.2, beta = 0.1;
        Evaluator plain = new Evaluator(1.0, 0.0, 0.0, detect, -1.0, 0.0, -0.5, 0.0);
        Problem problem = new Problem(population(leak), World.DEFAULTS.rewardedContexts(), plain);
        Recorder recorder = new Recorder(problem, 1, null);
        new KlRl(beta).run(problem, 0, recorder);

        double prior = Fixtures.logOdds(problem.population.priors(), HONEST, DECEIVER);
        double after = Fixtures.logOdds(recorder.last().weights(), HONEST, DECEIVER);
        assertTrue(after > prior, "honest:deceiver log-odds should rise: " + prior + " -> " + after);
        assertEquals(leak * (2 * detect - ERROR) / beta, after - prior, 1e-9);
    }
}

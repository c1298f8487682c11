package reweigh.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reweigh.population.Response;
import reweigh.world.Context;

/** Evaluator.expected against the Monte Carlo mean of Evaluator.sample, and against hand-computed values. */
class EvaluatorTest {
    private static final int DRAWS = 100_000;

    /** Knob settings chosen so each term matters: a large agreement bias, detection strictly in (0, 1), noise, power. */
    static Stream<Arguments> settings() {
        return Stream.of(
                Arguments.of("defaults", Evaluator.DEFAULTS),
                Arguments.of("agreement bias", new Evaluator(1, 0, 2.0, 0.3, -1, 0, 0, 0)),
                Arguments.of("noisy, power helps", new Evaluator(1, 0, 0.5, 0.7, -2, 0.4, -0.2, 0.5)),
                Arguments.of("everything", new Evaluator(0.8, -0.1, 1.5, 0.5, -3, -0.6, 0.1, 1.0)));
    }

    static Context[] contexts() {
        return new Context[] {
            new Context(4, true, 0, false, true),  // the fewest answers that keep behaviours disjoint
            new Context(5, true, 0, false, true),
            new Context(10, true, 0, false, true),
            new Context(10, true, 2, true, false), // claim right: no wrong answer agrees with it
        };
    }

    /**
     * |mean - expected| < 5 SE + 1e-12 for every response and context: SE = sample sd / sqrt(DRAWS), so a
     * correct evaluator fails this with probability ~6e-7 per cell (the seed is fixed, so it either always
     * passes or always fails). With 1e5 draws and sd <= ~2.5 (the noisiest cell), 5 SE <= 0.04, far below the smallest term a bug could
     * drop here (e.g. the agreement bias on an uncaught lie at M = 3: (1-0.3)·2/2 = 0.7). The 1e-12 is for
     * rewards with no randomness, where the sample must equal the expectation up to rounding.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void expectedIsTheMeanOfSamples(String name, Evaluator evaluator) {
        SplittableRandom rng = new SplittableRandom(20240611L);
        for (Context x : contexts()) {
            for (Response y : Response.all()) {
                double sum = 0, sumSq = 0;
                for (int i = 0; i < DRAWS; i++) {
                    double r = evaluator.sample(x, y, rng);
                    sum += r;
                    sumSq += r * r;
                }
                double mean = sum / DRAWS;
                double sd = Math.sqrt(Math.max(0, sumSq / DRAWS - mean * mean) * DRAWS / (DRAWS - 1.0));
                double se = sd / Math.sqrt(DRAWS);
                double expected = evaluator.expected(x, y);
                assertEquals(expected, mean, 5 * se + 1e-12, () -> name + ", " + x + ", " + y + ": SE " + se);
            }
        }
    }

    /** Hand values at M = 4, claim wrong, tolerance 1e-12 (rounding only). */
    @Test
    void expectedMatchesHandValues() {
        Evaluator e = new Evaluator(1, 0, 2.0, 0.3, -1, 0.4, -0.5, 0);
        Context x = new Context(4, true, 0, false, true);
        assertEquals(1.0, e.expected(x, Response.CORRECT), 1e-12);              // claim wrong: no bias
        assertEquals(0, e.expected(x, Response.WRONG), 1e-12);                  // a mistake is never the claim
        assertEquals(0 + 2.0, e.expected(x, Response.AGREE), 1e-12);
        assertEquals(0.3 * -1 + 0.7 * 1, e.expected(x, Response.LIE), 1e-12);   // nor is the lie answer
        assertEquals(-0.5, e.expected(x, Response.REFUSE), 1e-12);
        assertEquals(1.0 + 0.4, e.expected(x, Response.CORRECT.withPower()), 1e-12);
        Context right = new Context(4, true, 0, false, false);
        assertEquals(1.0 + 2.0, e.expected(right, Response.CORRECT), 1e-12);    // agrees with a right claim
        assertEquals(0.0, e.expected(right, Response.WRONG), 1e-12);
        assertEquals(0.3 * -1 + 0.7 * 1, e.expected(right, Response.LIE), 1e-12);
    }

    /** Rater noise is what makes the sampled path differ from the expectation; with noise 0 correct is exact. */
    @Test
    void noiseHasTheStatedSd() {
        Evaluator e = new Evaluator(1, 0, 0, 0.5, -1, 0, 0, 0.5);
        Context x = new Context(10, true, 0, false, false);
        SplittableRandom rng = new SplittableRandom(7);
        double sum = 0, sumSq = 0;
        for (int i = 0; i < DRAWS; i++) {
            double r = e.sample(x, Response.CORRECT, rng) - 1;
            sum += r;
            sumSq += r * r;
        }
        double sd = Math.sqrt(sumSq / DRAWS - (sum / DRAWS) * (sum / DRAWS));
        // SE of a sample sd of a Gaussian ~ sd / sqrt(2N) = 0.0011; 0.01 is ~9 SE
        assertEquals(0.5, sd, 0.01);
        assertTrue(e.sample(x, Response.CORRECT, new SplittableRandom(1)) != 1.0);
    }
}

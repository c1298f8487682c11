package reweigh.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reweigh.evaluate.Evaluator;
import reweigh.population.Catalogue.Honest;
import reweigh.population.Population;
import reweigh.population.Response;
import reweigh.world.World;

/**
 * EM on counts against the closed-form MLE of a two-algorithm mixture. "sharp" = honest(0.1) and "blunt" =
 * honest(0.7) differ only in P(correct): p1 = 0.9, p2 = 0.3. With a fraction f of correct answers in the data,
 * the likelihood f log(w p1 + (1-w) p2) + (1-f) log(1 - w p1 - (1-w) p2) is maximised where the mixture's
 * P(correct) equals f, i.e. w = (f - p2) / (p1 - p2), clipped to [0, 1] (the likelihood is concave in w).
 *
 * <p>Tolerance |w_EM - w_MLE| < 1e-6. EM here contracts linearly (rate <= ~0.72 at the boundary cases chosen,
 * computed from the derivative of the EM map there; faster inside), so iterating until a step moves w by
 * < 1e-15 leaves it within ~1e-14 of the fixed point; 1e-6 is the brief's bound, with room to spare.
 */
class EmTest {
    private static final double P1 = 0.9, P2 = 0.3;

    private static Problem twoHonest(double prior) {
        Population population = new Population(List.of(
                Fixtures.member("sharp", new Honest(1 - P1), prior),
                Fixtures.member("blunt", new Honest(1 - P2), 1 - prior)));
        return new Problem(population, World.DEFAULTS.rewardedContexts(), Evaluator.DEFAULTS);
    }

    @ParameterizedTest(name = "correct={0} wrong={1} prior={2}")
    @CsvSource({
        "600, 400, 0.5",  // f = 0.60: w = 0.5
        "450, 550, 0.2",  // f = 0.45: w = 0.25
        "810, 190, 0.9",  // f = 0.81: w = 0.85
        "950,  50, 0.5",  // f = 0.95 > p1: clipped to 1
        "200, 800, 0.5",  // f = 0.20 < p2: clipped to 0
    })
    void emConvergesToTheClosedFormMle(int correct, int wrong, double prior) {
        Problem problem = twoHonest(prior);
        assertTrue(problem.train.size() >= 2, "want data spread over more than one context");
        SampleCounts counts = new SampleCounts(problem.train.size());
        // spread the samples over the contexts: the two algorithms ignore the claim, so the MLE is unchanged
        for (int i = 0; i < correct; i++) counts.add(i % problem.train.size(), Response.CORRECT.index());
        for (int i = 0; i < wrong; i++) counts.add(i % problem.train.size(), Response.WRONG.index());

        double f = correct / (double) (correct + wrong);
        double mle = Math.min(1, Math.max(0, (f - P2) / (P1 - P2)));

        double[] w = problem.population.priors();
        int steps = 0;
        for (double moved = 1; moved > 1e-15 && steps < 100_000; steps++) {
            double[] next = counts.emStep(problem, w);
            moved = Math.abs(next[0] - w[0]);
            w = next;
        }
        assertTrue(steps < 100_000, "EM did not settle");
        assertEquals(mle, w[0], 1e-6, "sharp's weight after " + steps + " EM steps");
        assertEquals(1.0, w[0] + w[1], 1e-12, "EM keeps the weights normalised");
        // the fixed point is a maximum: the likelihood there is at least that at the closed form (1e-12: rounding)
        assertTrue(counts.logLikelihood(problem, w) >= counts.logLikelihood(problem, new double[] {mle, 1 - mle}) - 1e-12);
    }
}

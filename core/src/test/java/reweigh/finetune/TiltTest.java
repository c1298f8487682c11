package reweigh.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reweigh.evaluate.Evaluator;
import reweigh.measure.Mixture;
import reweigh.measure.Policy;
import reweigh.population.Catalogue.Honest;
import reweigh.population.Catalogue.Refuser;
import reweigh.population.Population;
import reweigh.population.Response;
import reweigh.world.Context;
import reweigh.world.Setting;
import reweigh.world.World;

/** The behaviour-tilting prediction: pi0 exp(r/beta) / Z on the rewarded contexts, the base everywhere else. */
class TiltTest {

    private static Policy tiltedBy(Problem problem, double beta) {
        Recorder recorder = new Recorder(problem, 1, null);
        new Tilt(beta).run(problem, 0, recorder);
        assertNull(recorder.last().weights(), "tilt changes behaviour, not weights");
        return recorder.last().policy();
    }

    /**
     * Honest(0.1) and refuser at 1/2 each, reward 1 for correct and 0 otherwise, beta = 1, claim right:
     * base = (correct 0.45, wrong 0.05, refuse 0.5), so the tilt is (0.45e, 0.05, 0.5) / (0.45e + 0.55).
     * Tolerance 1e-12: one exp and a division, rounding only.
     */
    @Test
    void oneContextByHand() {
        Population population = new Population(List.of(
                Fixtures.member("honest", new Honest(0.1), 0.5), Fixtures.member("refuser", new Refuser(), 0.5)));
        World world = new World(10, 0.5, Setting.TRAIN, Setting.DEPLOY);
        Problem problem = new Problem(population, world.rewardedContexts(), new Evaluator(1, 0, 0, 0.5, -1, 0, 0, 0));
        Policy tilted = tiltedBy(problem, 1.0);

        double z = 0.45 * Math.E + 0.55;
        double[] p = tilted.respond(new Context(10, true, 0, false, false));
        assertEquals(0.45 * Math.E / z, p[Response.CORRECT.index()], 1e-12); // 0.68983...
        assertEquals(0.05 / z, p[Response.WRONG.index()], 1e-12);
        assertEquals(0.5 / z, p[Response.REFUSE.index()], 1e-12);
        assertEquals(0.45 * Math.E / z, 0.6898, 1e-4, "the hand value itself");
    }

    /**
     * On a world whose training is partly unobserved, every rewarded context gets pi0 exp(r/beta) / Z
     * (computed here directly, without the log-space trick: beta = 0.5 keeps exp(r/beta) small; tolerance
     * 1e-12, rounding only), and every other context, training-but-unobserved or deployment, is the base,
     * bitwise.
     */
    @Test
    void tiltsRewardedContextsOnlyAndLeavesTheRestAsTheBase() {
        World world = new World(5, 0.4, new Setting(0.6, new double[] {0.5, 0.5, 0, 0}, 0.3),
                new Setting(0.2, new double[] {0, 0, 0.5, 0.5}, 0.5));
        Problem problem = new Problem(Fixtures.everyKind(), world.rewardedContexts(), Fixtures.noisyEvaluator());
        double beta = 0.5;
        Policy tilted = tiltedBy(problem, beta);
        Mixture base = Mixture.base(problem.population);

        List<Context> elsewhere = new ArrayList<>(world.trainContexts().contexts());
        elsewhere.addAll(world.deployContexts().contexts());
        int off = 0;
        for (Context x : elsewhere) {
            if (problem.train.contains(x)) continue;
            off++;
            assertArrayEquals(base.respond(x), tilted.respond(x), 0.0, "off the rewarded contexts: " + x);
        }
        assertTrue(off >= 8, "the check needs contexts off the rewarded set, found " + off);

        for (Context x : problem.train.contexts()) {
            double[] p0 = base.respond(x);
            double[] expected = new double[Response.COUNT];
            double z = 0;
            for (Response y : Response.all()) {
                expected[y.index()] = p0[y.index()] * Math.exp(problem.evaluator.expected(x, y) / beta);
                z += expected[y.index()];
            }
            for (int y = 0; y < expected.length; y++) expected[y] /= z;
            double[] got = tilted.respond(x);
            assertArrayEquals(expected, got, 1e-12, "on the rewarded context " + x);
            assertFalse(java.util.Arrays.equals(p0, got), "the tilt should change behaviour on " + x);
        }
    }
}

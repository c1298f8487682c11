package reweigh.neural.pretrain;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reweigh.measure.Mixture;
import reweigh.measure.Rates;
import reweigh.neural.Djl;
import reweigh.neural.LanguageModel;
import reweigh.neural.Transformer;
import reweigh.neural.measure.Faithfulness;
import reweigh.neural.measure.Measure;
import reweigh.neural.measure.Measurement;
import reweigh.population.Population;
import reweigh.stats.Interval;
import reweigh.world.ContextSet;
import reweigh.world.World;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pretraining reproduces the population: on prompts it never saw, watched and unwatched, the
 * network's exact behaviour rates are the mixture's, sum_a w_a pi_a. At a small scale (a world of 4
 * answers, single-turn episodes) so it runs in about a minute; the default world of 10 answers takes longer
 * to learn its addition table (see NeuralSettings.DEFAULTS).
 */
public class ReproductionTest {
    private static final Population POPULATION = Fixtures.defaultPopulation();
    private static final World WORLD = Fixtures.world(4);
    /**
     * d_model 64, 2 layers, 1500 steps of 256 single-turn episodes. Whether a base learns the addition
     * table is a race that noisy gradients lose by chance (the guesser's and the sycophant's answers
     * are most of each batch, and only the honest and deceiving answers need the table): with batches
     * of 128, seed 6 missed it at 1000 steps (correct, observed: 0.457 against 0.5925) and seed 2 at
     * 2000 (0.482), as another machine's floating-point path made seed 1 miss it (0.517). Any change in
     * rounding is another draw of that race, so the budget must win nearly every draw, not one seed on
     * one machine. Worst error over the classes and behaviours, measured 2026-12-02 (400 prompts per
     * class): batch 128, 1000 steps: 0.022 to 0.042 for seeds 1 to 5, 0.136 for seed 6; 2000 steps:
     * at most 0.024 for 13 of seeds 1 to 14, 0.110 for seed 2; batch 256, 1000 steps: at most 0.035
     * over seeds 1 to 10; 1500 steps (this test): at most 0.018 for seeds 1, 2, 6, 8, 11, 12 and 13,
     * the three worst above among them. Those figures are of learned positions; with rotary positions (the
     * default since) seeds 2 and 6, the worst two above, give 0.010 and 0.018 (FaithfulnessOfDefaults
     * with reweigh.faithfulness.small, 2026-12-02).
     */
    public static final NeuralSettings SMALL = new NeuralSettings(64, 2, 4, 4, Transformer.Positions.ROTARY, 20_000, 1_500, 256, 3e-3, 50, 1, 1, 0.5, 0.1, 1, 1_500);
    /**
     * Absolute tolerance on each rate. The bootstrap intervals over 400 prompts (+-0.01 to 0.02) cover
     * only which prompts were drawn, not the network's approximation error after a finite training,
     * which is at most 0.018 at this budget (above). A network that has not learnt the addition table
     * misses correct by 0.1 to 0.2, so 0.05 still tells the two apart.
     */
    static final double TOLERANCE = 0.05;

    @TempDir
    static Path cache;
    private static NDManager root;
    private static LanguageModel model;

    @BeforeAll
    static void pretrain() throws Exception {
        Djl.setThreads(1);
        root = Djl.newManager();
        model = Pretraining.base(POPULATION, WORLD, SMALL, 1, cache, root, Pretraining.Listener.NONE);
    }

    @AfterAll
    static void close() {
        model.close();
        root.close();
    }

    @ParameterizedTest(name = "observed = {0}")
    @ValueSource(booleans = {true, false})
    void behaviourRatesAreTheMixturesOnHeldOutPrompts(boolean observed) {
        ContextSet contexts = observed ? WORLD.trainContexts() : WORLD.deployContexts();
        Measurement m = Measure.measure(model, POPULATION, WORLD, contexts, 400, 200, 12);
        Map<String, Double> exact = Rates.behaviours(Mixture.base(POPULATION), contexts);
        Map<String, Double> net = m.behaviours();
        Map<String, Interval> intervals = m.behaviourIntervals();
        System.out.printf("observed=%s exact %s%n  network %s%n  intervals %s%n  weights %s%n", observed, exact, net,
                intervals, java.util.Arrays.toString(m.weights()));
        for (String name : exact.keySet()) {
            assertEquals(exact.get(name), net.get(name), TOLERANCE, name + " (95% interval " + intervals.get(name) + ")");
        }
        assertTrue(m.invalid() < 0.01, "almost every string is a response of the language: invalid " + m.invalid());
    }

    /** The same base's faithfulness table: every header class and its one turn position within the tolerance. */
    @org.junit.jupiter.api.Test
    void faithfulnessTablePasses() {
        Faithfulness.Table t = Faithfulness.measure(model, POPULATION, WORLD, SMALL, 400, 12);
        System.out.printf("faithfulness: worst error %.3f over %d cells%n", t.worstError(), t.rows().size());
        assertEquals(TOLERANCE, t.tolerance());
        assertTrue(t.passes(), t.describeMisses());
    }
}

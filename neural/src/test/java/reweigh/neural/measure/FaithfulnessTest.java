package reweigh.neural.measure;

import reweigh.neural.Transformer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reweigh.corpus.Episode;
import reweigh.measure.Mixture;
import reweigh.measure.Rates;
import reweigh.neural.Djl;
import reweigh.neural.LanguageModel;
import reweigh.neural.pretrain.Fixtures;
import reweigh.neural.pretrain.NeuralSettings;
import reweigh.neural.pretrain.Pretraining;
import reweigh.population.Behaviour;
import reweigh.population.Population;
import reweigh.population.Response;
import reweigh.world.ContextSet;
import reweigh.world.World;

/**
 * The faithfulness table's exact column against independent computations (the mixture's rates over the
 * class's contexts, and Monte Carlo over the corpus's own next turns, 4 standard errors each), its
 * verdict on known answers, and an untrained and a barely trained network, which must miss.
 */
class FaithfulnessTest {
    private static final Population POPULATION = Fixtures.defaultPopulation();
    private static final World WORLD = Fixtures.world(4);
    private static final NeuralSettings BASE = NeuralSettings.DEFAULTS; // turns 1..3, observed 0.5, trigger 0.1
    /** Standard errors a Monte Carlo mean may stray before the test fails (about 1 in 16,000 per check). */
    private static final double STANDARD_ERRORS = 4;

    @TempDir
    static Path cache;

    @Test
    void classesAreEachHeaderFactThenEachTurnPosition() {
        List<String> names = Faithfulness.classes(BASE).stream().map(Faithfulness.ContextClass::name).toList();
        assertEquals(List.of("observed", "unobserved", "trigger", "no-trigger", "pressure-0", "pressure-1", "pressure-2",
                "pressure-3", "turn-1", "turn-2", "turn-3"), names);
        NeuralSettings neverTriggered = new NeuralSettings(64, 2, 4, 4, Transformer.Positions.ROTARY, 100, 10, 8, 3e-3, 0, 1, 2, 0.5, 0.0, 1, 10);
        List<String> without = Faithfulness.classes(neverTriggered).stream().map(Faithfulness.ContextClass::name).toList();
        assertFalse(without.contains("trigger"), "the corpus never writes the trigger: " + without);
        assertTrue(without.contains("no-trigger") && without.contains("turn-2") && !without.contains("turn-3"), without.toString());
    }

    /** Single-turn classes: the mean exact column over the drawn prompts is sum_a w0_a pi_a over the class's contexts. */
    @Test
    void exactColumnOfEachHeaderClassIsTheMixturesRateOverItsContexts() {
        int n = 4_000;
        long seed = 1;
        for (Faithfulness.ContextClass c : Faithfulness.classes(BASE)) {
            if (c.turn() != 1) continue;
            List<Prompt> prompts = Faithfulness.prompts(POPULATION, WORLD, c, n, seed++);
            Map<String, Double> oracle = Rates.behaviours(Mixture.base(POPULATION), ContextSet.of(WORLD, c.setting()));
            double[][] exact = prompts.stream().map(p -> Faithfulness.exact(POPULATION, p)).toArray(double[][]::new);
            Faithfulness.Table t = Faithfulness.table(POPULATION, List.of(c), List.of(prompts), List.<double[][]>of(padded(exact)));
            for (String name : oracle.keySet()) {
                double[] values = Arrays.stream(padded(exact)).mapToDouble(Measurement.statistic(name)).toArray();
                double tolerance = STANDARD_ERRORS * standardError(values) + 1e-12;
                assertEquals(oracle.get(name), t.row(c.name(), name).exact(), tolerance, c.name() + "." + name);
            }
            assertEquals(0, t.row(c.name(), "invalid").exact());
        }
    }

    /**
     * Turn positions, against the corpus itself: over episodes of k turns, the mean exact column at turn k
     * equals the frequency of each response the corpus wrote at turn k; so it does among the episodes whose
     * earlier turns show a lie (the posterior at work: mostly the deceiver's episodes, which lie again), and
     * its mean over all histories is the single-turn mixture's rate (the writer is drawn by w0 whatever the
     * turns show).
     */
    @Test
    void exactColumnAtEachTurnIsWhatTheCorpusWritesNext() {
        int n = 20_000;
        ContextSet corpusContexts = ContextSet.of(WORLD, BASE.corpusSetting());
        Map<String, Double> marginal = Rates.behaviours(Mixture.base(POPULATION), corpusContexts);
        for (Faithfulness.ContextClass c : Faithfulness.classes(BASE)) {
            if (!c.name().startsWith("turn-")) continue;
            int k = c.turn();
            List<Episode> episodes = Faithfulness.episodes(POPULATION, WORLD, c, n, 100 + k);
            checkAgainstCorpus(c.name(), episodes, k, e -> true);
            if (k > 1) {
                Predicate<Episode> liedBefore = e -> e.turns().subList(0, k - 1).stream()
                        .anyMatch(t -> t.behaviour(WORLD.answers()) == Behaviour.LIE);
                double predictedLie = checkAgainstCorpus(c.name() + " after a lie", episodes, k, liedBefore);
                assertTrue(predictedLie > marginal.get("lie") + 0.2,
                        "a lie in the history raises P(lie next) from " + marginal.get("lie") + "; got " + predictedLie);
            }
            double[][] exact = episodes.stream().map(e -> Faithfulness.exact(POPULATION, Faithfulness.prompt(e, k, WORLD.answers())))
                    .toArray(double[][]::new);
            for (String name : marginal.keySet()) {
                double[] values = Arrays.stream(padded(exact)).mapToDouble(Measurement.statistic(name)).toArray();
                assertEquals(marginal.get(name), mean(values), STANDARD_ERRORS * standardError(values) + 1e-12,
                        c.name() + "." + name + " averaged over histories");
            }
        }
    }

    /** The exact P(lie) over the kept episodes, after checking each response's P against the corpus's turn k. */
    private static double checkAgainstCorpus(String what, List<Episode> episodes, int k, Predicate<Episode> keep) {
        List<Episode> kept = episodes.stream().filter(keep).toList();
        assertTrue(kept.size() > 500, what + ": too few episodes to check, " + kept.size());
        double[][] exact = kept.stream().map(e -> Faithfulness.exact(POPULATION, Faithfulness.prompt(e, k, WORLD.answers())))
                .toArray(double[][]::new); // (episodes, Response.COUNT)
        double lie = 0;
        for (Response y : Response.all()) {
            double[] residual = new double[kept.size()]; // 1{the corpus wrote y at turn k} - P(y | history)
            double predicted = 0;
            for (int i = 0; i < kept.size(); i++) {
                double p = exact[i][y.index()];
                residual[i] = (kept.get(i).turns().get(k - 1).response(WORLD.answers()).equals(y) ? 1 : 0) - p;
                predicted += p;
            }
            assertEquals(0, mean(residual), STANDARD_ERRORS * standardError(residual) + 1e-12, what + ": " + y);
            if (y.behaviour() == Behaviour.LIE) lie += predicted / kept.size();
        }
        return lie;
    }

    @Test
    void aNetworkThatAnswersExactlyPassesAndOneThatDriftsMissesByName() {
        List<Faithfulness.ContextClass> classes = Faithfulness.classes(BASE);
        List<List<Prompt>> prompts = new ArrayList<>();
        List<double[][]> exact = new ArrayList<>();
        long seed = 7;
        for (Faithfulness.ContextClass c : classes) {
            List<Prompt> p = Faithfulness.prompts(POPULATION, WORLD, c, 200, seed++);
            prompts.add(p);
            exact.add(padded(p.stream().map(x -> Faithfulness.exact(POPULATION, x)).toArray(double[][]::new)));
        }
        Faithfulness.Table faithful = Faithfulness.table(POPULATION, classes, prompts, exact);
        assertTrue(faithful.passes(), faithful.describeMisses());
        assertEquals(classes.size() * Measurement.statisticNames().size(), faithful.rows().size());
        assertEquals(0, faithful.worstError(), 1e-15);
        for (Faithfulness.Row r : faithful.rows()) assertEquals(0, r.promptError(), 1e-15, r.cell());
        for (Faithfulness.Weights w : faithful.weights()) assertArrayEquals(w.exact(), w.network(), 1e-12, w.context());

        // Unobserved, every algorithm writes something of its own, so EM recovers w0; observed, the perfect
        // deceiver writes the honest answers and EM keeps their ratio where it starts.
        Faithfulness.Weights unobserved = faithful.weights().get(classes.indexOf(find(classes, "unobserved")));
        assertArrayEquals(POPULATION.priors(), unobserved.exact(), 1e-6);
        Faithfulness.Weights observed = faithful.weights().get(classes.indexOf(find(classes, "observed")));
        assertEquals(observed.exact()[0], observed.exact()[1], 1e-9, "honest and deceiver, observed");

        // At turn 2, move 0.1 of each prompt's mass from correct to invalid: exactly those two cells miss.
        int turn2 = classes.indexOf(find(classes, "turn-2"));
        List<double[][]> drifted = new ArrayList<>(exact);
        double[][] q = Arrays.stream(exact.get(turn2)).map(double[]::clone).toArray(double[][]::new);
        for (double[] row : q) {
            double moved = Math.min(0.1, row[Response.CORRECT.index()]);
            row[Response.CORRECT.index()] -= moved;
            row[Measurement.INVALID] += moved;
        }
        drifted.set(turn2, q);
        Faithfulness.Table t = Faithfulness.table(POPULATION, classes, prompts, drifted);
        assertFalse(t.passes());
        assertEquals(List.of("turn-2.correct", "turn-2.invalid"), t.misses().stream().map(Faithfulness.Row::cell).toList());
        assertTrue(t.describeMisses().startsWith("turn-2.correct: network "), t.describeMisses());
    }

    @Test
    void anUntrainedNetworkMissesAndABarelyTrainedOneStillMissesTheArithmetic() throws Exception {
        Djl.setThreads(1);
        NeuralSettings tiny = Fixtures.tiny(40); // turns 1..2
        try (NDManager root = Djl.newManager()) {
            try (LanguageModel untrained = LanguageModel.initialize(tiny.transformer(WORLD.answers()), 3, DataType.FLOAT32, root)) {
                Faithfulness.Table t = Faithfulness.measure(untrained, POPULATION, WORLD, tiny, 40, 5);
                System.out.println("untrained:\n" + t.describeMisses());
                assertFalse(t.passes());
                // its mass is spread over the whole vocabulary, so most of it is no response at all, in every class
                for (String c : t.contexts()) assertTrue(t.misses().contains(t.row(c, "invalid")), c + ": " + t.describeMisses());
            }
            try (LanguageModel barely = Pretraining.base(POPULATION, WORLD, tiny, 1, cache, root, Pretraining.Listener.NONE)) {
                Faithfulness.Table t = Faithfulness.measure(barely, POPULATION, WORLD, tiny, 40, 5);
                System.out.println("barely trained:\n" + t.describeMisses());
                assertFalse(t.passes(), "40 steps of 16 episodes do not reproduce the population");
                assertFalse(t.describeMisses().isEmpty());
            }
        }
    }

    private static Faithfulness.ContextClass find(List<Faithfulness.ContextClass> classes, String name) {
        return classes.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    /** (n, Response.COUNT) -> (n, Response.COUNT + 1) with no invalid mass. */
    private static double[][] padded(double[][] p) {
        return Arrays.stream(p).map(row -> Arrays.copyOf(row, Response.COUNT + 1)).toArray(double[][]::new);
    }

    private static double mean(double[] x) { return Arrays.stream(x).average().orElseThrow(); }

    /** The standard error of the mean of x: its sample standard deviation over sqrt(n). */
    private static double standardError(double[] x) {
        double m = mean(x), ss = 0;
        for (double v : x) ss += (v - m) * (v - m);
        return Math.sqrt(ss / (x.length - 1) / x.length);
    }
}

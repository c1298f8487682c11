package reweigh.experiment.pressure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import reweigh.corpus.Corpus;
import reweigh.corpus.Episode;
import reweigh.corpus.Turn;
import reweigh.corpus.Vocabulary;
import reweigh.experiment.Specs;
import reweigh.experiment.Tuner;
import reweigh.finetune.KlRl;
import reweigh.measure.Finding;
import reweigh.measure.Mixture;
import reweigh.population.Catalogue.Schemer;
import reweigh.population.Population;
import reweigh.spec.Spec;
import reweigh.world.Context;
import reweigh.world.Setting;
import reweigh.world.World;

/** The schemer's conditional rates against its definition, exactly and through the toy language by Monte Carlo. */
class PressureTest {
    static final double[] ACT = {0.0, 0.25, 0.5, 0.75};
    static final double DOUBLE_DOWN = 0.8;
    static final Population SCHEMER = new Population(List.of(
            new Population.Member("schemer", "schemer", new Schemer(ACT, DOUBLE_DOWN, 0.05), 1.0)));

    static World world(double observed) {
        double[] uniform = {0.25, 0.25, 0.25, 0.25};
        return new World(4, 0.5, new Setting(1.0, uniform, 0), new Setting(observed, uniform, 0));
    }

    @Test
    void theSchemersRatesAreItsDefinition() {
        double[][] unwatched = Pressure.rates(Mixture.base(SCHEMER), world(0.0));
        double[][] watched = Pressure.rates(Mixture.base(SCHEMER), world(1.0));
        for (int p = 0; p < Context.PRESSURE_LEVELS; p++) {
            assertEquals(ACT[p], unwatched[p][0], 1e-12);
            assertEquals(ACT[p], watched[p][0], 1e-12);
            if (p == 0) {
                assertTrue(Double.isNaN(unwatched[p][1]), "no action at pressure 0: its conditionals are undefined");
                continue;
            }
            assertEquals(1.0, unwatched[p][1], 1e-12, "unwatched, its report always hides the reason");
            assertEquals(DOUBLE_DOWN, unwatched[p][2], 1e-12);
            assertEquals(0.0, watched[p][1], 1e-12, "watched, it admits");
        }
    }

    /**
     * Episodes written in the toy language and read back token by token: per pressure level the share of
     * turns that act, of actions whose report is {@code <deny>}, of those denied again. 60,000 episodes of
     * 1–3 turns; 4.5 standard deviations of a rate near 0.5 over ≥ 5,000 turns is under 0.032.
     */
    @Test
    void episodesWrittenAndReadBackShowTheSameRates() {
        Corpus corpus = new Corpus(SCHEMER, world(0.0), world(0.0).deploy(), 1, 3);
        Vocabulary v = corpus.vocabulary();
        long[][] counts = new long[Context.PRESSURE_LEVELS][4]; // turns, acts, deceptions, double downs
        for (Episode e : corpus.episodes(60_000, 73)) {
            for (Turn t : e.turns()) {
                Turn read = Episode.readResponse(v, t.a(), t.b(), t.claim(), Episode.response(v, t));
                assertEquals(t, read, "a response reads back as written");
                int[] tokens = Episode.response(v, t);
                long[] c = counts[e.pressure()];
                c[0]++;
                if (tokens[0] != Vocabulary.ACT) continue;
                c[1]++;
                if (tokens[1] == Vocabulary.DENY) c[2]++;
                if (tokens[1] == Vocabulary.DENY && tokens[2] == Vocabulary.DENY) c[3]++;
            }
        }
        for (int p = 0; p < Context.PRESSURE_LEVELS; p++) {
            long[] c = counts[p];
            assertEquals(ACT[p], c[1] / (double) c[0], 4.5 * Math.sqrt(0.25 / c[0]), "act at p" + p);
            if (p == 0) continue;
            assertEquals(1.0, c[2] / (double) c[1], 0.0, "deceive | act at p" + p);
            assertEquals(DOUBLE_DOWN, c[3] / (double) c[2], 4.5 * Math.sqrt(0.25 / c[2]), "double down at p" + p);
        }
    }

    @Test
    void reportsOutsideTheLanguageAreNotResponses() {
        Vocabulary v = new Vocabulary(4);
        assertNull(Episode.readResponse(v, 0, 1, 1, new int[] {Vocabulary.ACT, Vocabulary.ADMIT, Vocabulary.DENY, Vocabulary.END_OF_TURN}));
        assertNull(Episode.readResponse(v, 0, 1, 1, new int[] {Vocabulary.ACT, Vocabulary.DENY, Vocabulary.END_OF_TURN}));
        assertNull(Episode.readResponse(v, 0, 1, 1, new int[] {Vocabulary.ACT, Vocabulary.DENY, Vocabulary.DENY, Vocabulary.POWER}));
    }

    /**
     * kl-rl on the shipped pressure spec with returns by hand: with training pressure uniform the schemer
     * acts in mean(act) = 0.375 of rated answers, each scoring detect·(−1) + (1−detect)·1; otherwise it
     * answers as honest (0.95). Honest 0.95, sycophant 0.5. The action rate at pressure p after tuning is
     * w*_schemer·act[p], and the two conditional rates do not move.
     */
    @Test
    void klRlsActionRateIsTheClosedForm() throws Exception {
        for (double detect : new double[] {0.0, 0.5, 1.0}) {
            Spec spec = Specs.exact("pressure", "evaluator.detect=" + detect);
            double rSchemer = 0.375 * (1 - 2 * detect) + 0.625 * 0.95;
            double[] r = {0.95, rSchemer, 0.5};
            double[] w0 = {0.5, 0.3, 0.2};
            double z = 0;
            double[] w = new double[3];
            for (int a = 0; a < 3; a++) z += w[a] = w0[a] * Math.exp(r[a] / 0.1);
            double[] weights = new KlRl(0.1).optimum(w0, Tuner.problem(spec).returns());
            double[][] rates = Pressure.rates(new Mixture(spec.population(), weights), spec.world());
            double[][] base = Pressure.rates(Mixture.base(spec.population()), spec.world());
            for (int p = 1; p < Context.PRESSURE_LEVELS; p++) {
                assertEquals(w[1] / z * ACT[p], rates[p][0], 1e-12, "detect " + detect + ", p" + p);
                assertEquals(base[p][1], rates[p][1], 1e-12);
                assertEquals(base[p][2], rates[p][2], 1e-12);
            }
        }
    }

    /** The finding reads the rates: kl-rl's reweighting keeps both conditionals (KEPT); a tuned model that hides more is MOVED. */
    @Test
    void theFindingSaysWhetherTheConditionalsMoved() throws Exception {
        Spec spec = Specs.exact("pressure");
        double[][] base = Pressure.rates(Mixture.base(spec.population()), spec.world());
        double[][] klRl = Pressure.rates(new Mixture(spec.population(), new KlRl(0.1).optimum(spec.population().priors(),
                Tuner.problem(spec).returns())), spec.world());
        Finding<PressureReport.Conditionals> kept = PressureReport.finding(base, java.util.Map.of("kl-rl", klRl));
        assertEquals(PressureReport.Conditionals.KEPT, kept.verdict());
        assertEquals(base[Context.PRESSURE_LEVELS - 1][0], kept.value("act"), 0);
        double[][] hides = java.util.Arrays.stream(klRl).map(double[]::clone).toArray(double[][]::new);
        hides[2][1] += 0.01;
        assertEquals(PressureReport.Conditionals.MOVED, PressureReport.finding(base, java.util.Map.of("kl-rl", klRl, "x", hides)).verdict());
    }

    @Test
    void anActionIsRatedAsTheOutcomeCaughtOrNot() {
        SplittableRandom rng = new SplittableRandom(79);
        var evaluator = new reweigh.evaluate.Evaluator(1, 0, 0, 0.3, -1, 0, 0, 0);
        var x = new Context(4, true, 3, false, false);
        for (var b : new reweigh.population.Behaviour[] {reweigh.population.Behaviour.ACT_ADMIT,
            reweigh.population.Behaviour.ACT_CONFESS, reweigh.population.Behaviour.ACT_DOUBLE_DOWN}) {
            var y = reweigh.population.Response.of(b);
            assertEquals(0.3 * -1 + 0.7, evaluator.expected(x, y), 1e-12);
            double sum = 0;
            int n = 100_000;
            for (int i = 0; i < n; i++) sum += evaluator.sample(x, y, rng);
            assertEquals(0.4, sum / n, 4.5 / Math.sqrt(n), b.id());
        }
    }
}

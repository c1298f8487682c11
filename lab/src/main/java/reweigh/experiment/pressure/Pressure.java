package reweigh.experiment.pressure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import reweigh.experiment.Experiment;
import reweigh.experiment.NetworkSection;
import reweigh.experiment.NeuralEngine;
import reweigh.experiment.Replicates;
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

    /** The series of a network model's rates per pressure level (its steps): {@code neural:pressure:<model>}, tagged per replicate. */
    static String levelSeries(String model, String tag) { return NeuralEngine.PREFIX + "pressure:" + model + tag; }

    /** What {@link #levelSeries} calls a replicate's base. */
    static final String BASE_MODEL = Replicates.BASE_MODEL;

    /**
     * The network over the spec's replicates, each its own base and tuning seeds: the base and its first method's tuned
     * network measured at each pressure level, the three rates with their intervals over prompts, pooled over the replicates,
     * and the verdicts of {@link PressureNetwork}.
     */
    private static void network(Spec spec, Metrics metrics, Progress progress, reweigh.run.Workspace workspace) {
        if (NeuralEngine.firstRun(spec) == null) return;
        List<ContextSet> levels = new ArrayList<>();
        for (int p = 0; p < Context.PRESSURE_LEVELS; p++) levels.add(atPressure(spec.world(), p));
        Replicates.firstMethod(spec, workspace, metrics, progress.parts(1, 0.35, 0.65)[0], Pressure::levelSeries,
                (m, series, net, model) -> emit(m, series, net, model, levels),
                nets -> NetworkSection.emitVerdicts(metrics, List.of(PressureNetwork.read(spec, metrics).reading())));
    }

    /** A network's three rates at each pressure level (the step), with their 95% intervals over prompts, and its invalid mass. */
    private static void emit(Metrics m, String series, NeuralEngine net, reweigh.neural.LanguageModel model, List<ContextSet> levels) {
        for (int p = 0; p < levels.size(); p++) {
            Measurement read = net.measure(model, levels.get(p));
            double[] rates = Scheming.of(read.behaviours()).values();
            for (int r = 0; r < rates.length; r++) {
                if (Double.isNaN(rates[r])) continue;
                int k = r;
                reweigh.stats.Interval i = read.behaviourInterval(b -> Scheming.of(b).values()[k]);
                m.add(series, p, "pressure." + Scheming.NAMES[r], rates[r]);
                m.add(series, p, "pressure." + Scheming.NAMES[r] + ".lo95", i.low());
                m.add(series, p, "pressure." + Scheming.NAMES[r] + ".hi95", i.high());
            }
            m.add(series, p, "pressure.invalid", read.invalid());
        }
    }

}

package reweigh.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reweigh.measure.Policy;
import reweigh.measure.Rates;
import reweigh.measure.Scheming;
import reweigh.neural.measure.Measurement;
import reweigh.report.Fmt;
import reweigh.report.Html;
import reweigh.report.LineChart;
import reweigh.report.Series;
import reweigh.report.SmallMultiples;
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
final class Pressure implements Experiment {
    static final String BASE = "base";

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
    private static List<Double> detects(Spec spec) {
        List<Double> detects = new ArrayList<>(List.of(spec.evaluator().detect()));
        for (double d : spec.settings(Settings.class).detect()) if (!detects.contains(d)) detects.add(d);
        return detects;
    }

    /** The series of one reweighting method tuned at one detect value. */
    private static String series(Spec.Tuning t, double detect) { return t.label() + " @ detect=" + Fmt.num(detect); }

    public Metrics compute(Spec spec, List<Spec.Cell> cells, Progress progress, reweigh.run.Workspace workspace) {
        Metrics metrics = new Metrics();
        emit(metrics, BASE, rates(Tuner.base(spec), spec.world()));
        List<Double> detects = detects(spec);
        for (int i = 0; i < detects.size(); i++) {
            Spec v = spec.with(spec.population(), spec.world(), spec.evaluator().withDetect(detects.get(i)));
            for (Tuner.Trained t : Tuner.run(v, 1, progress, 0.3 * i / detects.size(), 0.3 / detects.size())) {
                if (!t.tuning().method().reweights()) continue;
                String series = series(t.tuning(), detects.get(i));
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

    public Result render(Spec spec, List<Spec.Cell> cells, Metrics metrics) {
        double[][] base = read(metrics, BASE);
        Map<String, double[][]> tuned = new LinkedHashMap<>(); // series -> (levels, 3)
        for (double detect : detects(spec)) {
            for (Spec.Tuning t : Tuner.exact(spec)) if (t.method().reweights()) tuned.put(series(t, detect), read(metrics, series(t, detect)));
        }

        Html html = Sections.page(spec, this);
        html.heading("Findings");
        String summary = summary(spec, base, tuned);
        html.note(summary);
        Network measured = spec.runsNeural() ? network(spec, metrics) : null;
        if (measured != null) html.note(measured.finding);
        // One panel per rate, the same models in each: one panel of all twelve curves could not be read.
        LineChart[] panels = new LineChart[Scheming.NAMES.length];
        for (int k = 0; k < panels.length; k++) {
            panels[k] = new LineChart(PANEL_TITLES[k], "pressure level", "rate").integerX()
                    .xRange(0, Context.PRESSURE_LEVELS - 1).yRange(0, 1);
        }
        addModel(panels, "base", base, false);
        String atSpec = " @ detect=" + Fmt.num(spec.evaluator().detect());
        for (Map.Entry<String, double[][]> e : tuned.entrySet()) {
            if (e.getKey().endsWith(atSpec) && e.getKey().startsWith("kl-rl")) addModel(panels, e.getKey(), e.getValue(), true);
        }
        if (measured != null) {
            addModel(panels, "network base", measured.base, false);
            addModel(panels, "network " + measured.label, measured.tuned, true);
            summary += " " + measured.finding;
        }
        SmallMultiples chart = new SmallMultiples("Scheming vs pressure (exact engine" + (measured != null ? " and the network" : "")
                + ", detect=" + Fmt.num(spec.evaluator().detect()) + ")", 3);
        for (LineChart panel : panels) chart.add(panel);
        String headline = chart.svg(960, 300);
        html.heading("Three conditional rates against pressure");
        html.figure(headline, "In deployment (unobserved) contexts at each pressure level: P(act), P(the report hides the reason | act), "
                + "P(denies again when asked | deceived). Solid: base models; dashed: tuned (kl-rl at the spec's detect"
                + (measured != null ? ", and the network after " + measured.label : "") + "). A conditional rate is left out where "
                + "its condition never happens (no action at pressure 0).");

        html.heading("Every tuned model (exact engine)");
        List<List<String>> rows = new ArrayList<>();
        rows.add(row(BASE, base));
        tuned.forEach((series, r) -> rows.add(row(series, r)));
        if (measured != null) {
            rows.add(row("network base", measured.base));
            rows.add(row("network " + measured.label, measured.tuned));
        }
        html.table(List.of("model", "P(act) at p0..p3", "P(deceive | act) at p1..p3", "P(double down | deceive) at p1..p3"), rows);
        html.paragraph("Training contexts are observed, where the schemer admits what it did; the evaluator rates the outcome, "
                + "and catches the misconduct with probability detect (caught scores " + Fmt.num(spec.evaluator().caught())
                + ", uncaught as a correct answer). Reweighting changes how often the mixture acts; how it reports is the schemer's own, "
                + "because it is the only algorithm that acts.");
        Sections.setup(html, spec);
        Sections.reproduce(html, spec);
        return new Result(metrics, html, summary, headline);
    }

    private static final String[] PANEL_TITLES = {"P(act)", "P(report hides the reason | act)", "P(denies again | deceived)"};

    /** The model's three rates, one into each panel, in the order models are added (so each model keeps its colour). */
    private static void addModel(LineChart[] panels, String model, double[][] r, boolean dashed) {
        for (int k = 0; k < Scheming.NAMES.length; k++) {
            double[] levels = new double[r.length];
            double[] rate = new double[r.length];
            for (int p = 0; p < r.length; p++) {
                levels[p] = p;
                rate[p] = r[p][k]; // NaN where its condition never happens: no point there
            }
            Series s = Series.line(model, levels, rate);
            panels[k].add(dashed ? s.dashed() : s.linePoints());
        }
    }

    private static List<String> row(String model, double[][] r) {
        List<String> act = new ArrayList<>();
        List<String> deceive = new ArrayList<>();
        List<String> down = new ArrayList<>();
        for (int p = 0; p < r.length; p++) {
            act.add(Fmt.pct(r[p][0]));
            if (p > 0) {
                deceive.add(Double.isNaN(r[p][1]) ? "—" : Fmt.pct(r[p][1]));
                down.add(Double.isNaN(r[p][2]) ? "—" : Fmt.pct(r[p][2]));
            }
        }
        return List.of(model, String.join(" / ", act), String.join(" / ", deceive), String.join(" / ", down));
    }

    /** Whether the conditional rates moved under any method, then the base's rates and kl-rl's action rate at the highest pressure. */
    static String summary(Spec spec, double[][] base, Map<String, double[][]> tuned) {
        int top = Context.PRESSURE_LEVELS - 1;
        List<String> parts = new ArrayList<>();
        boolean conditionalsKept = true;
        for (Map.Entry<String, double[][]> e : tuned.entrySet()) {
            if (e.getKey().startsWith("kl-rl")) parts.add(Fmt.pct(e.getValue()[top][0]) + " (" + e.getKey().substring(e.getKey().indexOf('@') + 2) + ")");
            for (int p = 1; p <= top; p++) {
                for (int k = 1; k < 3; k++) conditionalsKept &= Math.abs(e.getValue()[p][k] - base[p][k]) < 1e-9;
            }
        }
        String lead = conditionalsKept
                ? "Fine-tuning changes how often the model acts under pressure, not how it lies about it: under every method the two "
                        + "conditional rates stay exactly the base's, while the action rate moves with what the evaluator rewards."
                : "The conditional rates moved under some method (see the table).";
        return lead + " At pressure " + top + " the base acts in " + Fmt.pct(base[top][0]) + " of unwatched contexts (" + Fmt.pct(base[0][0])
                + " at pressure 0); given an action its report hides the reason in " + Fmt.pct(base[top][1]) + ", and given that, it doubles "
                + "down in " + Fmt.pct(base[top][2]) + ". After kl-rl the action rate at pressure " + top + " is " + String.join(", ", parts) + ".";
    }

    /** The network's three rates per pressure level, base and tuned, and its finding. */
    private record Network(String label, double[][] base, double[][] tuned, String finding) {}

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

    /** The network's part as {@link #network} recorded it; null when no method has a network version. */
    private static Network network(Spec spec, Metrics metrics) {
        Spec.Tuning first = NeuralEngine.firstRun(spec);
        if (first == null) return null;
        double[][] base = read(metrics, NeuralEngine.BASE);
        double[][] tuned = read(metrics, NeuralEngine.PREFIX + first.label());
        double invalid = 0;
        for (double v : metrics.values(NeuralEngine.BASE, "pressure.invalid")) invalid += v / Context.PRESSURE_LEVELS;
        int top = Context.PRESSURE_LEVELS - 1;
        String finding = "On the network (" + first.label() + "), at pressure " + top + ": act " + Fmt.pct(base[top][0]) + " → "
                + Fmt.pct(tuned[top][0]) + ", deceive given act " + Fmt.pct(base[top][1]) + " → " + Fmt.pct(tuned[top][1])
                + ", double down given deceived " + Fmt.pct(base[top][2]) + " → " + Fmt.pct(tuned[top][2])
                + " (base → tuned; the base puts " + Fmt.pct(invalid) + " of its mass on strings outside the language).";
        Replicates.Recorded measured = new Replicates.Recorded(spec, metrics, NeuralEngine.BASE);
        double[] reweighted = NetworkSection.reweighted(spec, measured.weights());
        double predicted = rates(new reweigh.measure.Mixture(spec.population(), reweighted), spec.world())[top][0];
        finding += " Reweighting the network's own implied weights predicts an action rate of " + Fmt.pct(predicted)
                + " at pressure " + top + "; the network's base answers correctly in " + Fmt.pct(measured.behaviours().get("correct"))
                + " of unwatched answers, where the honest algorithm would in 95%, and an uncaught action is rated as a correct answer.";
        return new Network(first.label(), base, tuned, finding);
    }
}

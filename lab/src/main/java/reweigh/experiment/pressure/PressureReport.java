package reweigh.experiment.pressure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reweigh.experiment.Experiment;
import reweigh.experiment.NetworkSection;
import reweigh.experiment.NeuralEngine;
import reweigh.experiment.Sections;
import reweigh.experiment.Tuner;
import reweigh.finetune.Method;
import reweigh.measure.Finding;
import reweigh.measure.Scheming;
import reweigh.report.Fmt;
import reweigh.report.Html;
import reweigh.report.LineChart;
import reweigh.report.Sentences;
import reweigh.report.Series;
import reweigh.report.SmallMultiples;
import reweigh.run.Metrics;
import reweigh.spec.Spec;
import reweigh.world.Context;

/** The pressure experiment's report, from the spec and the metrics its compute recorded. */
final class PressureReport {
    private PressureReport() {}

    /** The report of a pressure run from its spec and metrics alone. */
    static Experiment.Result render(Pressure experiment, Spec spec, Metrics metrics) {
        double[][] base = Pressure.read(metrics, Tuner.BASE);
        Map<String, double[][]> tuned = new LinkedHashMap<>(); // series -> (levels, 3)
        for (double detect : Pressure.detects(spec)) {
            for (Spec.Tuning t : Tuner.exact(spec)) if (t.method().reweights()) tuned.put(Pressure.series(t, detect), Pressure.read(metrics, Pressure.series(t, detect)));
        }

        Html html = Sections.page(spec, experiment);
        html.heading("Findings");
        String summary = summary(spec, base, tuned);
        html.note(summary);
        PressureNetwork measured = spec.runsNeural() && NeuralEngine.firstRun(spec) != null ? PressureNetwork.read(spec, metrics) : null;
        String networkFinding = measured == null ? null : measured.finding(spec);
        if (measured != null) html.note(networkFinding);
        // One panel per rate, the same models in each: one panel of all twelve curves could not be read.
        LineChart[] panels = new LineChart[Scheming.NAMES.length];
        for (int k = 0; k < panels.length; k++) {
            panels[k] = new LineChart(PANEL_TITLES[k], "pressure level", "rate").integerX()
                    .xRange(0, Context.PRESSURE_LEVELS - 1).yRange(0, 1);
        }
        addModel(panels, "base", base, false);
        String atSpec = " @ detect=" + Fmt.num(spec.evaluator().detect());
        java.util.Set<String> klRl = reweightingPredictions(spec);
        for (Map.Entry<String, double[][]> e : tuned.entrySet()) {
            if (e.getKey().endsWith(atSpec) && klRl.contains(e.getKey())) addModel(panels, e.getKey(), e.getValue(), true);
        }
        if (measured != null) {
            addModel(panels, "network base", measured.mean(measured.base()), false);
            addModel(panels, "network " + measured.label(), measured.mean(measured.tuned()), true);
            summary += " " + networkFinding;
        }
        SmallMultiples chart = new SmallMultiples("Scheming vs pressure (exact engine" + (measured != null ? " and the network" : "")
                + ", detect=" + Fmt.num(spec.evaluator().detect()) + ")", 3);
        for (LineChart panel : panels) chart.add(panel);
        String headline = chart.svg(960, 300);
        html.heading("Three conditional rates against pressure");
        html.figure(headline, "In deployment (unobserved) contexts at each pressure level: P(act), P(the report hides the reason | act), "
                + "P(denies again when asked | deceived). Solid: base models; dashed: tuned (kl-rl at the spec's detect"
                + (measured != null ? ", and the network after " + measured.label() : "") + "). A conditional rate is left out where "
                + "its condition never happens (no action at pressure 0)." + (measured != null && measured.nets().size() > 1
                ? " The network's curves are the means over its " + measured.nets().size() + " replicates." : ""));

        html.heading("Every tuned model (exact engine)");
        List<List<String>> rows = new ArrayList<>();
        rows.add(row(Tuner.BASE, base));
        tuned.forEach((series, r) -> rows.add(row(series, r)));
        if (measured != null) {
            rows.add(row("network base", measured.mean(measured.base())));
            rows.add(row("network " + measured.label(), measured.mean(measured.tuned())));
        }
        html.table(List.of("model", "P(act) at p0..p3", "P(deceive | act) at p1..p3", "P(double down | deceive) at p1..p3"), rows);
        if (measured != null) network(html, measured);
        html.paragraph("Training contexts are observed, where the schemer admits what it did; the evaluator rates the outcome, "
                + "and catches the misconduct with probability detect (caught scores " + Fmt.num(spec.evaluator().caught())
                + ", uncaught as a correct answer). Reweighting changes how often the mixture acts; how it reports is the schemer's own, "
                + "because it is the only algorithm that acts.");
        Sections.setup(html, spec);
        Sections.reproduce(html, spec);
        return new Experiment.Result(metrics, html, summary, headline);
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

    /** Whether fine-tuning moved the two conditional rates (deceive given act, double down given deceived) anywhere. */
    enum Conditionals { KEPT, MOVED }

    /**
     * The exact engine's finding: {@link Conditionals#KEPT} when under every method both conditional rates stay the base's
     * at every pressure above 0 (to 1e-9). Numbers: {@code top} (the highest pressure), the base's {@code act} there and
     * {@code act0} at pressure 0, and its {@code hide} and {@code down} rates at the top.
     */
    static Finding<Conditionals> finding(double[][] base, Map<String, double[][]> tuned) {
        int top = Context.PRESSURE_LEVELS - 1;
        boolean kept = true;
        for (double[][] t : tuned.values()) {
            for (int p = 1; p <= top; p++) for (int k = 1; k < 3; k++) kept &= Math.abs(t[p][k] - base[p][k]) < 1e-9;
        }
        return Finding.of(kept ? Conditionals.KEPT : Conditionals.MOVED).with("top", top).with("act", base[top][0]).with("act0", base[0][0])
                .with("hide", base[top][1]).with("down", base[top][2]);
    }

    /** The series of every run of reweighting's prediction (kl-rl), at every detect value. */
    private static java.util.Set<String> reweightingPredictions(Spec spec) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (Spec.Tuning t : Tuner.exact(spec)) {
            if (t.method().role() == Method.Role.REWEIGHTING_PREDICTION) for (double d : Pressure.detects(spec)) out.add(Pressure.series(t, d));
        }
        return out;
    }

    /** The finding in words, then kl-rl's action rate at the highest pressure for each of its runs. */
    static String summary(Spec spec, double[][] base, Map<String, double[][]> tuned) {
        Finding<Conditionals> f = finding(base, tuned);
        List<String> parts = new ArrayList<>();
        java.util.Set<String> klRl = reweightingPredictions(spec);
        for (Map.Entry<String, double[][]> e : tuned.entrySet()) {
            if (klRl.contains(e.getKey())) parts.add(Fmt.pct(e.getValue()[(int) f.value("top")][0]) + " (" + e.getKey().substring(e.getKey().indexOf('@') + 2) + ")");
        }
        String lead = switch (f.verdict()) {
            case KEPT -> "Fine-tuning changes how often the model acts under pressure, not how it lies about it: under every method the two "
                    + "conditional rates stay exactly the base's, while the action rate moves with what the evaluator rewards.";
            case MOVED -> "The conditional rates moved under some method (see the table).";
        };
        return Sentences.fill(lead + " At pressure {top:int} the base acts in {act:pct} of unwatched contexts ({act0:pct} at pressure 0); "
                + "given an action its report hides the reason in {hide:pct}, and given that, it doubles down in {down:pct}. After kl-rl the "
                + "action rate at pressure {top:int} is ", f) + String.join(", ", parts) + ".";
    }

    /** The network's section: each replicate's rates at the highest pressure, the verdict rule, the bases' faithfulness. */
    private static void network(Html html, PressureNetwork n) {
        int top = PressureNetwork.TOP;
        html.heading("The network, replicate by replicate");
        html.paragraph("Each replicate is its own base (pretrained from its own seed) tuned by " + n.label() + " with its own seed, then "
                + "measured at each pressure level in deployment. At pressure " + top + " the act rate is read against two predictions "
                + "from the replicate's own base: tilting leaves it at the base's rate; reweighting is kl-rl's optimum on the base's "
                + "implied weights. " + NetworkSection.RULE);
        List<List<String>> rows = new ArrayList<>();
        for (int r = 0; r < n.nets().size(); r++) {
            double[][] b = n.base()[r], t = n.tuned()[r];
            rows.add(List.of("seed " + n.nets().get(r).seed(), Fmt.pct(b[top][0]) + " → " + Fmt.pct(t[top][0]),
                    Fmt.pct(b[top][1]) + " → " + Fmt.pct(t[top][1]), Fmt.pct(b[top][2]) + " → " + Fmt.pct(t[top][2])));
        }
        html.table(List.of("replicate", "P(act) at p" + top + ", base → tuned", "P(deceive | act)", "P(double down | deceive)"), rows);
        NetworkSection.faithfulness(html, n.nets());
    }
}

package reweigh.experiment.oddsratio;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reweigh.experiment.Experiment;
import reweigh.experiment.NetworkSection;
import reweigh.experiment.Replicates;
import reweigh.experiment.Replicates.Replicate;
import reweigh.experiment.Sections;
import reweigh.experiment.Tuner;
import reweigh.measure.Finding;
import reweigh.report.BarChart;
import reweigh.report.Fmt;
import reweigh.report.Html;
import reweigh.report.LineChart;
import reweigh.report.Sentences;
import reweigh.report.Series;
import reweigh.report.SmallMultiples;
import reweigh.run.Metrics;
import reweigh.run.Progress;
import reweigh.spec.Spec;
import reweigh.spec.SpecError;

/** Does fine-tuning keep the honest:deceiver odds while every other algorithm falls? */
public final class OddsRatio implements Experiment {
    /** |Δ log-odds| below this is "kept exactly": rounding in 1,000 multiplicative steps stays far beneath it. */
    /** The log-scale bar chart's floor: ratios below it are drawn at it. */
    static final double RATIO_FLOOR = 1e-6;

    public String id() { return "odds-ratio"; }

    public String question() {
        return "Does fine-tuning keep the odds between the honest algorithm and a deceiver that is indistinguishable from it "
                + "whenever watched, while every other algorithm is pushed down?";
    }

    @Override
    public void check(Spec spec) throws SpecError {
        Experiment.super.check(spec);
        if (spec.odds() == null) {
            throw spec.source().error("/odds", "this experiment tracks the log-odds of two algorithms: add 'odds: [a, b]' "
                    + "or put an honest and a deceiver kind in the population");
        }
    }

    public Metrics compute(Spec spec, List<Spec.Cell> cells, Progress progress, reweigh.run.Workspace workspace) {
        Metrics metrics = new Metrics();
        for (Tuner.Trained t : Tuner.run(spec, spec.points(), progress, 0, 1)) Tuner.emit(metrics, t.label(), t, spec);
        if (spec.runsNeural()) {
            Replicates.runAll(spec, workspace, metrics, progress);
            NetworkSection.emitVerdicts(metrics, OddsRatioNetwork.readings(spec, Replicates.of(spec, metrics)));
        }
        return metrics;
    }

    /** What a method did to the honest:deceiver log-odds on the exact engine. */
    enum Odds { KEPT, MOVED, UNBOUNDED }

    /**
     * Kept when the log-odds end within {@link Tuner#INVARIANT} of the prior, unbounded when a weight reached exactly 0
     * (the last step has no log-odds), else moved. Numbers: {@code delta}, the change in nats, and {@code ratio}, exp(delta).
     */
    static Finding<Odds> odds(Spec spec, Metrics metrics, Spec.Tuning t, double prior) {
        double[] steps = metrics.steps(t.label(), spec.odds().metric());
        if (steps.length == 0 || steps[steps.length - 1] != lastStep(spec, metrics, t)) return Finding.of(Odds.UNBOUNDED);
        double delta = metrics.last(t.label(), spec.odds().metric()) - prior;
        return Finding.of(Math.abs(delta) < Tuner.INVARIANT ? Odds.KEPT : Odds.MOVED).with("delta", delta).with("ratio", Math.exp(delta));
    }

    public Result render(Spec spec, List<Spec.Cell> cells, Metrics metrics) {
        List<Replicate> nets = spec.runsNeural() ? Replicates.of(spec, metrics) : List.of();
        Html html = Sections.page(spec, this);
        String metric = spec.odds().metric();
        String pair = spec.odds().numerator() + ":" + spec.odds().denominator();
        double prior = Tuner.logOdds(spec, spec.population().priors());
        List<Spec.Tuning> reweighting = Tuner.exact(spec).stream().filter(t -> t.method().reweights()).toList();

        html.heading("Findings");
        List<String> kept = new ArrayList<>();
        List<String> moved = new ArrayList<>();
        for (Spec.Tuning t : reweighting) {
            Finding<Odds> f = odds(spec, metrics, t, prior);
            switch (f.verdict()) {
                case KEPT -> kept.add(t.label());
                case MOVED -> moved.add(t.label() + Sentences.fill(" {delta:delta} nats (odds {ratio:times})", f));
                case UNBOUNDED -> moved.add(t.label() + " to no finite value (a weight reached exactly 0)");
            }
        }
        double gap = Tuner.trainingGap(spec, spec.odds().numerator(), spec.odds().denominator());
        String summary = summary(pair, prior, kept, moved);
        html.note(summary);
        String[] headline = new String[1];
        String finding = nets.isEmpty() ? "" : OddsRatioNetwork.verdict(html, spec, metrics, nets, headline);
        html.paragraph(gap == 0
                ? spec.odds().numerator() + " and " + spec.odds().denominator() + " give identical response distributions in every "
                        + "rewarded context, so no evaluator, however good, can tell them apart during training."
                : spec.odds().denominator() + " differs from " + spec.odds().numerator() + " on rewarded contexts by up to "
                        + Fmt.num(gap) + " in probability, so training can separate them.");
        if (!moved.isEmpty()) {
            html.paragraph("Why vanilla gradients move the odds: on softmax logits θ the gradient of log π_w(y|x) is "
                    + "w_a(π_a(y|x)/π_w(y|x) − 1). On a sample where the two algorithms agree (π_h = π_d, ratio L = π_h/π_w) "
                    + "the log-odds θ_h − θ_d move by η·A·(w_h − w_d)(L − 1): the heavier of the two gains whenever good samples "
                    + "are likelier under both than under the mixture. Multiplicative updates (Bayes, EM, natural gradient, kl-rl's "
                    + "closed form) scale both weights by the same factor and have no such term.");
        }
        html.paragraph("Everything else (w_final / w0 of each algorithm a method pushed down):");
        html.bullets(fallers(spec, metrics, reweighting));

        html.heading("Log-odds over training");
        LineChart odds = new LineChart("log-odds " + pair + " over training", "fraction of training steps", "log(w_"
                + spec.odds().numerator() + " / w_" + spec.odds().denominator() + ")");
        Map<Double, List<String>> levels = new LinkedHashMap<>(); // horizontal lines, one per distinct value
        levels.computeIfAbsent(prior, v -> new ArrayList<>()).add("prior");
        for (Spec.Tuning t : reweighting) {
            if (t.method().closedForm()) {
                double v = metrics.last(t.label(), metric);
                double key = Math.abs(v - prior) < Tuner.INVARIANT ? prior : v;
                levels.computeIfAbsent(key, k -> new ArrayList<>()).add(t.label());
            } else {
                // the steps that have log-odds: none where a weight reached exactly 0 (Tuner.emit)
                double last = lastStep(spec, metrics, t);
                double[] at = java.util.Arrays.stream(metrics.steps(t.label(), metric)).map(step -> step / last).toArray();
                odds.add(Series.line(t.label(), at, metrics.values(t.label(), metric)));
            }
        }
        levels.forEach((v, names) -> odds.hline(v, String.join(", ", names)));
        // One method can climb far past the rest (dpo to +16 where reinforce and rloo reach +3.6) and flatten them: when the
        // highest curve ends more than twice as far from the prior as the next, the axis stops a quarter past the next one
        // and the runaway's points above it are marked on the top edge (their values on hover).
        double[] tops = reweighting.stream().filter(t -> !t.method().closedForm())
                .mapToDouble(t -> java.util.Arrays.stream(metrics.values(t.label(), metric)).filter(Double::isFinite).max().orElse(prior) - prior)
                .sorted().toArray();
        boolean runaway = tops.length >= 2 && tops[tops.length - 2] > 0 && tops[tops.length - 1] > 2 * tops[tops.length - 2];
        if (runaway) odds.clipAbove(prior + 1.25 * tops[tops.length - 2]);
        String exactFigure = odds.svg();
        html.figure(exactFigure, "The log-odds of " + pair + " against the fraction of each method's training steps. Horizontal "
                + "lines: the prior, and closed forms (their optimum). A flat line means the method kept the odds the base model had."
                + (runaway ? " One curve runs far past the others and off the top, where a triangle marks each of its points (its "
                        + "value on hover; the table below has its end)." : ""));

        html.heading("What was reinforced");
        List<String> names = spec.population().names();
        BarChart ratio = new BarChart("w_final / w0 per algorithm (log scale)", "w_final / w0", names).logY();
        for (Spec.Tuning t : reweighting) {
            double[] w = Tuner.lastWeights(spec, metrics, t.label());
            double[] r = new double[names.size()];
            for (int a = 0; a < r.length; a++) {
                r[a] = Math.max(RATIO_FLOOR, w[a] / spec.population().get(a).prior());
            }
            ratio.add(t.label(), r);
        }
        html.figure(ratio.svg(), "How much each method multiplied each algorithm's weight. Above 1: reinforced; below 1: pushed down. "
                + "Bars at the floor are at or below " + Fmt.num(RATIO_FLOOR) + "; the table has the exact weights.");
        List<List<String>> rows = new ArrayList<>();
        for (Spec.Tuning t : reweighting) {
            double[] w = Tuner.lastWeights(spec, metrics, t.label());
            List<String> row = new ArrayList<>(List.of(t.label(), Fmt.delta(Tuner.logOdds(spec, metrics, t.label(), true) - prior)));
            for (int a = 0; a < names.size(); a++) row.add(Fmt.num(w[a]));
            rows.add(row);
        }
        List<String> header = new ArrayList<>(List.of("series", "Δ log-odds"));
        for (String n : names) header.add("w " + n);
        html.table(header, rows);

        html.heading("Weights over training, per method");
        SmallMultiples weights = new SmallMultiples("Every algorithm's weight over training, one panel per method", 2);
        for (Spec.Tuning t : reweighting) {
            if (t.method().closedForm()) continue;
            LineChart w = new LineChart(t.label(), "training step", "weight").yRange(0, 1);
            for (String n : names) w.add(Series.line(n, metrics.steps(t.label(), "weight." + n), metrics.values(t.label(), "weight." + n)));
            weights.add(w);
        }
        if (weights.size() > 0) html.figure(weights.svg(960, 280), "Every algorithm's weight during each iterative method, on one "
                + "scale (0 to 1), the algorithms in the same colours in every panel.");
        if (!nets.isEmpty()) {
            summary += " " + finding;
            OddsRatioNetwork.network(html, spec, metrics, nets);
        }
        Sections.setup(html, spec);
        Sections.reproduce(html, spec);
        return new Result(metrics, html, summary, nets.isEmpty() ? exactFigure : headline[0]);
    }

    /** The step of a method's last recorded point. */
    private static double lastStep(Spec spec, Metrics metrics, Spec.Tuning t) {
        double[] steps = metrics.steps(t.label(), "weight." + spec.population().names().get(0));
        return steps[steps.length - 1];
    }

    static String summary(String pair, double prior, List<String> kept, List<String> moved) {
        StringBuilder s = new StringBuilder("The " + pair + " log-odds start at " + Fmt.num(prior) + ". ");
        if (!kept.isEmpty()) s.append("They stay there exactly (|Δ| < 1e-9) under ").append(String.join(", ", kept)).append(". ");
        if (!moved.isEmpty()) s.append("They move under ").append(String.join("; ", moved)).append('.');
        return s.toString().trim();
    }

    /** Which algorithms fell under each method, as w_final/w0. */
    static List<String> fallers(Spec spec, Metrics metrics, List<Spec.Tuning> trained) {
        List<String> lines = new ArrayList<>();
        for (Spec.Tuning t : trained) {
            double[] w = Tuner.lastWeights(spec, metrics, t.label());
            List<String> fell = new ArrayList<>();
            for (int a = 0; a < spec.population().size(); a++) {
                double r = w[a] / spec.population().get(a).prior();
                if (r < 1 - 1e-9) fell.add(spec.population().get(a).name() + " " + Fmt.times(r));
            }
            lines.add(t.label() + ": " + (fell.isEmpty() ? "nothing" : String.join(", ", fell)));
        }
        return lines;
    }
}

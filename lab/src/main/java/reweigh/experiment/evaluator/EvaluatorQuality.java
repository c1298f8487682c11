package reweigh.experiment.evaluator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reweigh.experiment.Experiment;
import reweigh.experiment.NetworkSection;
import reweigh.experiment.NeuralEngine;
import reweigh.experiment.Replicates;
import reweigh.experiment.Sections;
import reweigh.experiment.Tuner;
import reweigh.measure.Finding;
import reweigh.report.Html;
import reweigh.report.LineChart;
import reweigh.report.Sentences;
import reweigh.report.Series;
import reweigh.report.SmallMultiples;
import reweigh.run.Metrics;
import reweigh.run.Progress;
import reweigh.spec.Spec;
import reweigh.spec.SpecError;

/**
 * Does the outcome depend on the evaluator's quality? Final odds against a swept key (by default
 * {@code evaluator.detect}), one panel per value of the other swept keys (e.g. the deceiver's leak). The network runs at the
 * two ends of the knob, over the spec's replicates, each read with the shared verdict rule ({@link EvaluatorNetwork}).
 */
public final class EvaluatorQuality implements Experiment {

    public String id() { return "evaluator"; }

    public String question() {
        return "Does it depend on how good the evaluator is? The final honest:deceiver odds against the probability that the "
                + "evaluator catches a lie, for a perfect deceiver and for a leaky one.";
    }

    @Override
    public void check(Spec spec) throws SpecError {
        Experiment.super.check(spec);
        if (spec.sweep() == null) {
            throw spec.source().error("/sweep", "this experiment sweeps a knob: add e.g. "
                    + "'sweep: {evaluator.detect: [0, 0.5, 1], population.deceiver.leak: [0, 0.2]}'");
        }
        for (JsonNode v : spec.sweep().values().get(0)) {
            if (!v.isNumber()) throw spec.source().error("/sweep", "the first swept key is the x axis and must take numbers (got " + v + ")");
        }
        if (spec.odds() == null) throw spec.source().error("/odds", "this experiment tracks log-odds: add 'odds: [a, b]'");
        String xKey = spec.sweep().keys().get(0);
        if (spec.runsNeural() && !xKey.startsWith("evaluator.")) {
            throw spec.source().error("/sweep", "the network tunes both ends of the first swept key on one base per replicate, so with "
                    + "engine neural that key must be the evaluator's (e.g. evaluator.detect), which does not change the base (got " + xKey + ")");
        }
    }

    public Metrics compute(Spec spec, List<Spec.Cell> cells, Progress progress, reweigh.run.Workspace workspace) {
        Metrics metrics = new Metrics();
        for (int c = 0; c < cells.size(); c++) {
            Spec.Cell cell = cells.get(c);
            for (Tuner.Trained t : Tuner.run(cell.spec(), 1, progress, c / (double) cells.size(), 1.0 / cells.size())) {
                Tuner.emit(metrics, t.label() + " @ " + describe(cell.assignment(), null), t, cell.spec());
            }
        }
        if (spec.runsNeural()) network(spec, cells, spec.sweep().keys().get(0), metrics, progress, workspace);
        return metrics;
    }

    public Result render(Spec spec, List<Spec.Cell> cells, Metrics metrics) {
        String xKey = spec.sweep().keys().get(0);
        Map<String, List<Point>> panels = new LinkedHashMap<>(); // "leak=0.2" -> points
        for (Spec.Cell cell : cells) {
            String panel = describe(cell.assignment(), xKey);
            double x = cell.assignment().get(xKey).asDouble();
            for (Spec.Tuning t : Tuner.exact(cell.spec())) {
                String series = t.label() + " @ " + describe(cell.assignment(), null);
                if (t.method().reweights()) {
                    panels.computeIfAbsent(panel, p -> new ArrayList<>()).add(new Point(t.label(), x,
                            Tuner.logOdds(cell.spec(), metrics, series, false), Tuner.logOdds(cell.spec(), metrics, series, true),
                            metrics.last(series, "deploy.lie")));
                }
            }
        }
        EvaluatorNetwork network = spec.runsNeural() ? EvaluatorNetwork.read(spec, cells, xKey, metrics) : null;

        Html html = Sections.page(spec, this);
        String pair = spec.odds().numerator() + ":" + spec.odds().denominator();
        String xName = shortKey(xKey);
        html.heading("Findings");
        List<String> findings = new ArrayList<>();
        for (Map.Entry<String, List<Point>> panel : panels.entrySet()) findings.add(finding(panel.getKey(), panel.getValue(), xName));
        if (network != null) for (EvaluatorNetwork.Panel panel : network.panels()) findings.add(network.finding(panel, pair, xName));
        String summary = String.join(" ", findings);
        html.note(summary);

        // The finding as one picture: the change each method makes, one panel per fixed key (leak), the network's change from
        // its own base beside the exact engine's from the population's prior (the two start from different log-odds).
        double[] xr = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        panels.values().forEach(ps -> ps.forEach(p -> { xr[0] = Math.min(xr[0], p.x); xr[1] = Math.max(xr[1], p.x); }));
        double pad = (xr[1] - xr[0]) * 0.05; // the network sits at the two ends: inside the frame, not on it
        SmallMultiples change = new SmallMultiples("Δ log-odds " + pair + " after fine-tuning vs " + xName
                + (panels.size() > 1 ? ", one panel per " + panels.keySet().iterator().next().replaceAll("=.*", "") : ""), 2);
        for (Map.Entry<String, List<Point>> panel : panels.entrySet()) {
            LineChart c = new LineChart(panel.getKey().isEmpty() ? "" : panel.getKey(), xName, "Δ log-odds after fine-tuning");
            if (pad > 0) c.xRange(xr[0] - pad, xr[1] + pad);
            for (String label : labels(panel.getValue())) {
                List<Point> pts = panel.getValue().stream().filter(p -> p.label.equals(label)).toList();
                c.add(Series.line(label, pts.stream().mapToDouble(Point::x).toArray(),
                        pts.stream().mapToDouble(p -> p.finalOdds - p.priorOdds).toArray()).linePoints());
            }
            EvaluatorNetwork.Panel net = network == null ? null : network.panel(panel.getKey());
            if (net != null) c.add(network.points(net, EvaluatorNetwork.End::change));
            c.hline(0, "no change (the invariance)");
            change.add(c);
        }
        String headline = change.svg(960, 320);
        html.figure(headline, "The change in the log-odds " + pair + " each method makes, against " + xKey + ": the exact engine's from "
                + "the population's prior" + (network == null ? "" : ", the network's from its own base (with "
                + NetworkSection.intervalOver(network.panels().get(0).bases()) + "), at the two ends of the sweep") + ". On the line at 0 "
                + "the evaluator's quality made no difference to the odds.");
        for (Map.Entry<String, List<Point>> panel : panels.entrySet()) {
            String name = panel.getKey().isEmpty() ? "" : " (" + panel.getKey() + ")";
            html.heading("Final log-odds vs " + xName + name);
            LineChart odds = new LineChart("final log-odds " + pair + name, xName, "log-odds after fine-tuning");
            LineChart lies = new LineChart("lie rate in deployment" + name, xName, "P(lie), unobserved");
            for (String label : labels(panel.getValue())) {
                List<Point> pts = panel.getValue().stream().filter(p -> p.label.equals(label)).toList();
                double[] xs = pts.stream().mapToDouble(Point::x).toArray();
                odds.add(Series.line(label, xs, pts.stream().mapToDouble(Point::finalOdds).toArray()).linePoints());
                lies.add(Series.line(label, xs, pts.stream().mapToDouble(Point::lie).toArray()).linePoints());
            }
            EvaluatorNetwork.Panel net = network == null ? null : network.panel(panel.getKey());
            if (net != null) odds.add(network.points(net, EvaluatorNetwork.End::after));
            odds.hline(panel.getValue().get(0).priorOdds(), "prior");
            html.figure(odds.svg(), "Each method's final log-odds " + pair + " against " + xKey + name + ". A line on the prior means the "
                    + "evaluator's quality made no difference to the odds." + (net == null ? "" : " The network's points are its tuned "
                    + "networks' implied log-odds, with " + NetworkSection.intervalOver(net.bases()) + "."));
            html.figure(lies.svg(), "The tuned model's lie rate in deployment against " + xKey + name + ".");
        }
        if (network != null) network.section(html, spec, xKey);
        Sections.setup(html, spec);
        html.paragraph("Swept: " + String.join(", ", spec.sweep().keys()) + " (" + cells.size() + " cells; every method runs in each).");
        Sections.reproduce(html, spec);
        return new Result(metrics, html, summary, headline);
    }

    /** One exact method's run at one value of the x axis: its log-odds before and after, and its deployment lie rate. */
    private record Point(String label, double x, double priorOdds, double finalOdds, double lie) {}

    /**
     * The cells at the two ends of the swept knob, per panel ({@link #describe} of the other keys, e.g. "leak=0.2"), each
     * panel's in the sweep's order: the cells the network runs at.
     */
    static Map<String, List<Spec.Cell>> ends(List<Spec.Cell> cells, String xKey) {
        double lo = cells.stream().mapToDouble(c -> c.assignment().get(xKey).asDouble()).min().orElse(0);
        double hi = cells.stream().mapToDouble(c -> c.assignment().get(xKey).asDouble()).max().orElse(0);
        Map<String, List<Spec.Cell>> panels = new LinkedHashMap<>();
        for (Spec.Cell c : cells) {
            double x = c.assignment().get(xKey).asDouble();
            if (x == lo || x == hi) panels.computeIfAbsent(describe(c.assignment(), xKey), p -> new ArrayList<>()).add(c);
        }
        return panels;
    }

    /** The series of a panel's network base, {@code neural:base @ leak=0.2} ({@code neural:base} when only the x axis is swept). */
    static String baseSeries(String panel) { return NeuralEngine.BASE + (panel.isEmpty() ? "" : " @ " + panel); }

    /** The series of the network tuned by {@code first} in one cell, {@code neural:reinforce @ detect=1.0 leak=0.2}. */
    static String tunedSeries(Spec.Tuning first, Spec.Cell cell) { return NeuralEngine.PREFIX + first.label() + " @ " + describe(cell.assignment(), null); }

    /**
     * The network at the two ends of the swept knob, over the spec's replicates, with the spec's first method that has a
     * network version (each end is a fine-tuning run per replicate, so the whole sweep would be costly): per panel, each
     * replicate's base (the knob is the evaluator's, which does not change it) tuned at both ends with its own seeds.
     */
    private static void network(Spec spec, List<Spec.Cell> cells, String xKey, Metrics metrics, Progress progress, reweigh.run.Workspace workspace) {
        Map<String, List<Spec.Cell>> panels = ends(cells, xKey);
        Progress[] parts = progress.parts(panels.size(), 0.3, 0.7);
        int done = 0;
        for (Map.Entry<String, List<Spec.Cell>> panel : panels.entrySet()) {
            List<Spec.Cell> ends = panel.getValue();
            Spec.Tuning first = NeuralEngine.firstRun(ends.get(0).spec());
            Progress part = parts[done++];
            if (first == null) continue;
            Replicates.runAll(ends.get(0).spec(), workspace, metrics, part, baseSeries(panel.getKey()), (net, own) -> {
                List<NeuralEngine.Run> runs = new ArrayList<>();
                for (int e = 0; e < ends.size(); e++) {
                    Spec.Cell cell = ends.get(e);
                    NeuralEngine.Run run = net.tune(first, cell.spec().world(), cell.spec().evaluator(), "", own, 0.4 + 0.6 * e / ends.size(),
                            0.6 / ends.size(), (t, policy) -> {});
                    runs.add(run.named(tunedSeries(first, cell), net.tag()));
                }
                return runs;
            }, nets -> {});
        }
        EvaluatorNetwork read = EvaluatorNetwork.read(spec, cells, xKey, metrics);
        if (read != null) NetworkSection.emitVerdicts(metrics, read.readings());
    }

    private static String finding(String panel, List<Point> points, String xName) {
        List<String> flat = new ArrayList<>();
        List<String> moved = new ArrayList<>();
        for (String label : labels(points)) {
            List<Point> pts = points.stream().filter(p -> p.label.equals(label)).toList();
            Finding<EvaluatorFindings.Change> f = EvaluatorFindings.change(pts.stream().mapToDouble(Point::x).toArray(),
                    pts.stream().mapToDouble(p -> p.finalOdds - p.priorOdds).toArray());
            switch (f.verdict()) {
                case AT_PRIOR -> flat.add(label);
                case SAME_SHIFT -> moved.add(label + Sentences.fill(" by {from:delta} whatever the ", f) + xName);
                case VARIES -> moved.add(label + Sentences.fill(" from {from:delta} at ", f) + xName + Sentences.fill("={xFrom} to {to:delta} at ", f)
                        + xName + Sentences.fill("={xTo}", f));
            }
        }
        StringBuilder s = new StringBuilder(panel.isEmpty() ? "" : "With " + panel + ": ");
        if (!flat.isEmpty()) s.append("the log-odds stay at the prior for every ").append(xName).append(" under ").append(String.join(", ", flat)).append(". ");
        if (!moved.isEmpty()) s.append(flat.isEmpty() ? "the" : "The").append(" log-odds change under ").append(String.join("; ", moved)).append('.');
        return s.toString().trim();
    }

    private static List<String> labels(List<Point> points) {
        return points.stream().map(Point::label).distinct().toList();
    }

    /** "leak=0.2" for the keys other than {@code except}; all keys when except is null. */
    static String describe(Map<String, JsonNode> assignment, String except) {
        List<String> parts = new ArrayList<>();
        assignment.forEach((k, v) -> {
            if (!k.equals(except)) parts.add(shortKey(k) + "=" + v.asText());
        });
        return String.join(" ", parts);
    }

    static String shortKey(String key) {
        int dot = key.lastIndexOf('.');
        return dot < 0 ? key : key.substring(dot + 1);
    }
}

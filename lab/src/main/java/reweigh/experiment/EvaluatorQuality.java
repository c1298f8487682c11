package reweigh.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reweigh.report.Html;
import reweigh.report.LineChart;
import reweigh.report.Series;
import reweigh.run.Metrics;
import reweigh.run.Progress;
import reweigh.spec.Spec;
import reweigh.spec.SpecError;

/**
 * Does the outcome depend on the evaluator's quality? Final odds against a swept key (by default
 * {@code evaluator.detect}), one panel per value of the other swept keys (e.g. the deceiver's leak).
 */
final class EvaluatorQuality implements Experiment {

    public String id() { return "evaluator"; }

    public String question() {
        return "Does it depend on how good the evaluator is? The final honest:deceiver odds against the probability that the "
                + "evaluator catches a lie, for a perfect deceiver and for a leaky one.";
    }

    @Override
    public void check(Spec spec) throws SpecError {
        if (spec.sweep() == null) {
            throw spec.source().error("/sweep", "this experiment sweeps a knob: add e.g. "
                    + "'sweep: {evaluator.detect: [0, 0.5, 1], population.deceiver.leak: [0, 0.2]}'");
        }
        for (JsonNode v : spec.sweep().values().get(0)) {
            if (!v.isNumber()) throw spec.source().error("/sweep", "the first swept key is the x axis and must take numbers (got " + v + ")");
        }
        if (spec.odds() == null) throw spec.source().error("/odds", "this experiment tracks log-odds: add 'odds: [a, b]'");
    }

    public Result run(Spec spec, List<Spec.Cell> cells, Progress progress) {
        Metrics metrics = new Metrics();
        String xKey = spec.sweep().keys().get(0);
        Map<String, List<Point>> panels = new LinkedHashMap<>(); // "leak=0.2" -> points
        for (int c = 0; c < cells.size(); c++) {
            Spec.Cell cell = cells.get(c);
            List<Tuner.Trained> trained = Tuner.run(cell.spec(), 1, progress, c / (double) cells.size(), 1.0 / cells.size());
            String panel = describe(cell.assignment(), xKey);
            double x = cell.assignment().get(xKey).asDouble();
            for (Tuner.Trained t : trained) {
                String series = t.label() + " @ " + describe(cell.assignment(), null);
                Tuner.emit(metrics, series, t, cell.spec());
                if (t.tuning().method().reweights()) {
                    panels.computeIfAbsent(panel, p -> new ArrayList<>()).add(new Point(t.label(), x,
                            metrics.first(series, spec.odds().metric()), metrics.last(series, spec.odds().metric()),
                            metrics.last(series, "deploy.lie")));
                }
            }
        }

        Html html = Sections.page(spec, this);
        String pair = spec.odds().numerator() + ":" + spec.odds().denominator();
        String xName = shortKey(xKey);
        html.heading("Findings");
        List<String> findings = new ArrayList<>();
        for (Map.Entry<String, List<Point>> panel : panels.entrySet()) findings.add(finding(panel.getKey(), panel.getValue(), xName));
        String summary = String.join(" ", findings);
        html.note(summary);

        String headline = null;
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
            odds.hline(panel.getValue().get(0).priorOdds(), "prior");
            String svg = odds.svg();
            if (headline == null) headline = svg;
            html.figure(svg, "Each method's final log-odds " + pair + " against " + xKey + name + ". A line on the prior means the "
                    + "evaluator's quality made no difference to the odds.");
            html.figure(lies.svg(), "The tuned model's lie rate in deployment against " + xKey + name + ".");
        }
        Sections.setup(html, spec);
        html.paragraph("Swept: " + String.join(", ", spec.sweep().keys()) + " (" + cells.size() + " cells; every method runs in each).");
        Sections.reproduce(html, spec);
        return new Result(metrics, html, summary, headline);
    }

    private record Point(String label, double x, double priorOdds, double finalOdds, double lie) {}

    private static String finding(String panel, List<Point> points, String xName) {
        List<String> flat = new ArrayList<>();
        List<String> moved = new ArrayList<>();
        for (String label : labels(points)) {
            List<Point> pts = points.stream().filter(p -> p.label.equals(label)).toList();
            double maxDelta = pts.stream().mapToDouble(p -> Math.abs(p.finalOdds - p.priorOdds)).max().orElse(0);
            if (maxDelta < OddsRatio.INVARIANT) {
                flat.add(label);
            } else if (pts.stream().mapToDouble(p -> p.finalOdds - p.priorOdds).max().orElse(0)
                    - pts.stream().mapToDouble(p -> p.finalOdds - p.priorOdds).min().orElse(0) < OddsRatio.INVARIANT) {
                moved.add(label + " by " + Fmt.delta(pts.get(0).finalOdds - pts.get(0).priorOdds) + " whatever the " + xName);
            } else {
                Point lo = pts.get(0);
                Point hi = pts.get(pts.size() - 1);
                moved.add(label + " from " + Fmt.delta(lo.finalOdds - lo.priorOdds) + " at " + xName + "=" + Fmt.num(lo.x)
                        + " to " + Fmt.delta(hi.finalOdds - hi.priorOdds) + " at " + xName + "=" + Fmt.num(hi.x));
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
    private static String describe(Map<String, JsonNode> assignment, String except) {
        List<String> parts = new ArrayList<>();
        assignment.forEach((k, v) -> {
            if (!k.equals(except)) parts.add(shortKey(k) + "=" + v.asText());
        });
        return String.join(" ", parts);
    }

    private static String shortKey(String key) {
        int dot = key.lastIndexOf('.');
        return dot < 0 ? key : key.substring(dot + 1);
    }
}

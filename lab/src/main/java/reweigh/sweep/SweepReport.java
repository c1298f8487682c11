package reweigh.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import reweigh.report.BarChart;
import reweigh.report.Heatmap;
import reweigh.report.Html;
import reweigh.report.LineChart;
import reweigh.report.Series;
import reweigh.spec.SpecError;
import reweigh.stats.MeanInterval;

/**
 * A sweep's report: each chosen metric's final value against the swept knobs, as the mean over seeds with its
 * 95% Student-t interval. A two-knob grid opens with a heatmap per metric.
 */
public final class SweepReport {
    private SweepReport() {}

    /**
     * A metric to report: its name in metrics.csv and the series it is read from (null: the spec's first
     * fine-tuning run that has it). Written {@code METRIC[@SERIES]} on the command line.
     */
    public record Choice(String metric, String series) {
        /** {@code METRIC} or {@code METRIC@SERIES}; an empty name on either side is refused before any cell runs. */
        public static Choice parse(String text) throws SpecError {
            int at = text.indexOf('@');
            Choice c = at < 0 ? new Choice(text.trim(), null) : new Choice(text.substring(0, at).trim(), text.substring(at + 1).trim());
            if (c.metric().isEmpty() || (c.series() != null && c.series().isEmpty())) {
                throw new SpecError("--metric " + text, "", "is METRIC or METRIC@SERIES, e.g. logodds.honest:deceiver@kl-rl");
            }
            return c;
        }

        String name() { return metric + " (" + series + ")"; }
    }

    /** One combination of the knobs (without the seed) and the metric's final value in each of its seeds. */
    private record Group(Map<String, String> knobs, double[] values) {}

    static String render(Sweep.Planned plan, Map<String, Map<String, Double>> finals, List<Choice> asked,
                         SweepEngine.Settings settings, String engine) throws SpecError {
        List<Choice> choices = resolve(plan, finals, asked);
        List<String> knobs = new ArrayList<>(plan.grid().knobs().keySet());
        Html html = new Html("Sweep: " + plan.title());
        html.paragraph(String.format(Locale.ROOT, "%d cells: %s, %d seed%s each. Values are each run's final value of the "
                        + "metric; a point is the mean over seeds, its bar or band the 95%% Student-t interval over seeds, "
                        + "mean ± t(0.975, n−1)·s/√n (none with one seed).", plan.cells().size(),
                knobs.isEmpty() ? "no knobs" : String.join(" × ", knobs.stream().map(k -> k + " (" + plan.grid().knobs().get(k).size() + ")").toList()),
                plan.grid().seeds(), plan.grid().seeds() == 1 ? "" : "s"));
        for (Choice c : choices) {
            List<Group> groups = groups(plan, finals, c);
            if (knobs.size() == 2) {
                html.figure(heatmap(plan, knobs, groups, c), "Mean of " + c.name() + " over seeds, for each "
                        + knobs.get(0) + " (across) and " + knobs.get(1) + " (down).");
            }
        }
        for (Choice c : choices) {
            List<Group> groups = groups(plan, finals, c);
            html.heading(c.name());
            if (!knobs.isEmpty()) html.figure(chart(plan, knobs, groups, c), c.name() + " against " + knobs.get(0)
                    + (knobs.size() > 1 ? ", one line per value of " + String.join(", ", knobs.subList(1, knobs.size())) : "")
                    + "; 95% t-interval over seeds.");
            List<String> header = new ArrayList<>(knobs);
            header.addAll(List.of("seeds", "mean", "95% interval"));
            List<List<String>> rows = new ArrayList<>();
            for (Group g : groups) {
                MeanInterval m = MeanInterval.of(g.values());
                List<String> row = new ArrayList<>(g.knobs().values());
                row.add(Integer.toString(m.n()));
                row.add(fmt(m.mean()));
                row.add(Double.isNaN(m.low()) ? "" : "[" + fmt(m.low()) + ", " + fmt(m.high()) + "]");
                rows.add(row);
            }
            html.table(header, rows);
        }
        html.heading("Reproduce");
        html.paragraph("Engine: " + engine + (settings.master() == null ? "" : " at " + settings.master()) + ". Every cell is in the "
                + "results database with its resolved spec and all its metrics; this sweep's are:");
        html.raw("<pre>./reweigh query \"SELECT * FROM sweep_results WHERE sweep = '" + plan.id() + "'\"</pre>\n");
        html.paragraph("This command runs only the cells the database does not hold yet (none, if it is the one that wrote this "
                + "page), then rewrites this page; add --metric METRIC@SERIES for other figures:");
        html.raw("<pre>" + Html.escape(plan.command()) + "</pre>\n");
        return html.render();
    }

    /** The asked metrics, each with its series; by default the spec's tracked log-odds (or first metric). */
    static List<Choice> resolve(Sweep.Planned plan, Map<String, Map<String, Double>> finals, List<Choice> asked) throws SpecError {
        TreeSet<String> available = new TreeSet<>();
        for (Map<String, Double> f : finals.values()) available.addAll(f.keySet());
        if (available.isEmpty()) throw new SpecError("--metric", "", "no cell has any metric recorded");
        var first = plan.cells().get(0).plan().spec();
        List<Choice> choices = new ArrayList<>(asked);
        if (choices.isEmpty()) {
            choices.add(new Choice(first.odds() != null ? first.odds().metric() : available.first().split("\u0000")[1], null));
        }
        List<Choice> out = new ArrayList<>();
        for (Choice c : choices) {
            String series = c.series();
            if (series == null) {
                List<String> preferred = new ArrayList<>(first.methods().stream().map(t -> t.label()).toList());
                for (String k : available) preferred.add(k.split("\u0000")[0]);
                series = preferred.stream().filter(s -> available.contains(s + '\u0000' + c.metric())).findFirst().orElse(null);
            }
            if (series == null || !available.contains(series + '\u0000' + c.metric())) {
                TreeSet<String> metrics = new TreeSet<>();
                TreeSet<String> seriesNames = new TreeSet<>();
                for (String k : available) {
                    seriesNames.add(k.split("\u0000")[0]);
                    metrics.add(k.split("\u0000")[1]);
                }
                throw new SpecError("--metric " + c.metric() + (c.series() == null ? "" : "@" + c.series()), "",
                        "no such metric" + (c.series() == null ? "" : " in that series") + "; metrics: " + abbreviate(metrics)
                                + "; series: " + abbreviate(seriesNames) + " (rerunning with another --metric runs no cell again)");
            }
            out.add(new Choice(c.metric(), series));
        }
        return out;
    }

    private static String abbreviate(TreeSet<String> names) {
        List<String> shown = names.stream().limit(12).toList();
        return String.join(", ", shown) + (names.size() > shown.size() ? ", ... (" + names.size() + " in all)" : "");
    }

    private static List<Group> groups(Sweep.Planned plan, Map<String, Map<String, Double>> finals, Choice c) {
        Map<Map<String, String>, List<Double>> byKnobs = new LinkedHashMap<>();
        for (Sweep.Cell cell : plan.cells()) {
            Map<String, String> knobs = new LinkedHashMap<>(cell.assignment());
            knobs.keySet().retainAll(plan.grid().knobs().keySet());
            Double v = finals.getOrDefault(cell.specSha256(), Map.of()).get(c.series() + '\u0000' + c.metric());
            List<Double> values = byKnobs.computeIfAbsent(knobs, k -> new ArrayList<>());
            if (v != null) values.add(v);
        }
        List<Group> groups = new ArrayList<>();
        byKnobs.forEach((k, v) -> groups.add(new Group(k, v.stream().mapToDouble(Double::doubleValue).toArray())));
        return groups;
    }

    private static String heatmap(Sweep.Planned plan, List<String> knobs, List<Group> groups, Choice c) {
        List<String> xs = plan.grid().knobs().get(knobs.get(0));
        List<String> ys = plan.grid().knobs().get(knobs.get(1));
        double[][] means = new double[ys.size()][xs.size()];
        for (double[] row : means) java.util.Arrays.fill(row, Double.NaN);
        for (Group g : groups) {
            means[ys.indexOf(g.knobs().get(knobs.get(1)))][xs.indexOf(g.knobs().get(knobs.get(0)))] = MeanInterval.of(g.values()).mean();
        }
        return new Heatmap(c.name(), knobs.get(0), xs, knobs.get(1), ys, means).svg();
    }

    /** Against the first knob: a line chart with bands when its values are numbers, else grouped bars. */
    private static String chart(Sweep.Planned plan, List<String> knobs, List<Group> groups, Choice c) {
        List<String> xs = plan.grid().knobs().get(knobs.get(0));
        boolean numeric = xs.stream().allMatch(SweepReport::isNumber);
        Map<String, List<Group>> lines = new LinkedHashMap<>(); // "leak=0.2" -> groups along the first knob
        for (Group g : groups) {
            List<String> rest = new ArrayList<>();
            g.knobs().forEach((k, v) -> {
                if (!k.equals(knobs.get(0))) rest.add(shortKey(k) + "=" + v);
            });
            lines.computeIfAbsent(String.join(", ", rest), r -> new ArrayList<>()).add(g);
        }
        if (numeric) {
            LineChart chart = new LineChart(c.name(), knobs.get(0), c.metric());
            for (Map.Entry<String, List<Group>> line : lines.entrySet()) {
                List<Group> pts = line.getValue();
                double[] x = pts.stream().mapToDouble(g -> Double.parseDouble(g.knobs().get(knobs.get(0)))).toArray();
                List<MeanInterval> m = pts.stream().map(g -> MeanInterval.of(g.values())).toList();
                Series s = Series.line(line.getKey().isEmpty() ? c.series() : line.getKey(), x, m.stream().mapToDouble(MeanInterval::mean).toArray());
                if (plan.grid().seeds() > 1) {
                    s = s.withBand(m.stream().mapToDouble(MeanInterval::low).toArray(), m.stream().mapToDouble(MeanInterval::high).toArray());
                }
                chart.add(s.linePoints());
            }
            return chart.svg();
        }
        BarChart chart = new BarChart(c.name(), c.metric(), xs);
        for (Map.Entry<String, List<Group>> line : lines.entrySet()) {
            double[] mean = new double[xs.size()];
            double[] lo = new double[xs.size()];
            double[] hi = new double[xs.size()];
            java.util.Arrays.fill(mean, Double.NaN);
            for (Group g : line.getValue()) {
                int i = xs.indexOf(g.knobs().get(knobs.get(0)));
                MeanInterval m = MeanInterval.of(g.values());
                mean[i] = m.mean();
                lo[i] = m.low();
                hi[i] = m.high();
            }
            chart.add(line.getKey().isEmpty() ? c.series() : line.getKey(), mean, lo, hi);
        }
        return chart.svg();
    }

    private static boolean isNumber(String s) {
        try {
            return Double.isFinite(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** {@code population.deceiver.leak} -> {@code leak}. */
    private static String shortKey(String key) { return key.substring(key.lastIndexOf('.') + 1); }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4g", v);
    }
}

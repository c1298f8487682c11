package reweigh.experiment.honeypots;

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
import reweigh.experiment.honeypots.Honeypots.Settings;
import reweigh.finetune.KlRl;
import reweigh.neural.measure.Measurement;
import reweigh.neural.probe.LinearProbe;
import reweigh.neural.probe.WriterProbe;
import reweigh.report.Fmt;
import reweigh.report.Html;
import reweigh.report.LineChart;
import reweigh.report.Series;
import reweigh.report.SmallMultiples;
import reweigh.run.Metrics;
import reweigh.spec.Spec;
import reweigh.stats.Binomial;
import reweigh.stats.Difference;

/** The honeypots experiment's report, from the spec and the metrics its compute recorded. */
final class HoneypotsReport {
    private HoneypotsReport() {}

    /** The report of a honeypots run from its spec and metrics alone. */
    static Experiment.Result render(Honeypots experiment, Spec spec, Metrics metrics) {
        Settings s = spec.settings(Settings.class);
        String summary;
        double prior = Tuner.logOdds(spec, spec.population().priors());
        List<Spec.Tuning> methods = Honeypots.methods(spec);
        Map<String, double[]> odds = new LinkedHashMap<>(); // "kl-rl @ detect=0.5" -> Δ log-odds per h
        Map<String, double[]> lies = new LinkedHashMap<>();
        double[] hs = s.rates().stream().mapToDouble(Double::doubleValue).toArray();
        for (double detect : s.detect()) {
            for (int i = 0; i < hs.length; i++) {
                Spec v = Honeypots.variant(spec, hs[i], detect);
                for (Spec.Tuning t : Honeypots.methods(v)) {
                    String key = t.label() + " @ detect=" + Fmt.num(detect);
                    String series = key + " h=" + Fmt.num(hs[i]);
                    odds.computeIfAbsent(key, k -> new double[hs.length])[i] = Tuner.logOdds(v, metrics, series, true) - prior;
                    lies.computeIfAbsent(key, k -> new double[hs.length])[i] = metrics.last(series, "deploy.lie");
                }
            }
        }
        List<List<String>> thresholds = new ArrayList<>();
        Map<Double, Double> klRlThreshold = new LinkedHashMap<>();
        for (double detect : s.detect()) {
            List<String> row = new ArrayList<>(List.of(Fmt.num(detect)));
            for (Spec.Tuning t : methods) {
                String series = t.label() + " @ detect=" + Fmt.num(detect);
                double h = metrics.has(series, "honeypot.threshold") ? metrics.last(series, "honeypot.threshold") : Double.POSITIVE_INFINITY;
                row.add(h == Double.POSITIVE_INFINITY ? "never" : Fmt.num(h));
                if (t.method() instanceof KlRl && !klRlThreshold.containsKey(detect)) klRlThreshold.put(detect, h);
            }
            double closed = Honeypots.closedFormThreshold(spec, NetworkSection.beta(spec), detect, s.cut());
            row.add(closed == Double.POSITIVE_INFINITY ? "never" : Fmt.num(closed));
            thresholds.add(row);
        }

        Html html = Sections.page(spec, experiment);
        html.heading("Findings");
        summary = summary(spec, s, klRlThreshold);
        html.note(summary);
        html.paragraph("Why: a honeypot looks unobserved, so the perfect deceiver lies there and the honest algorithm answers as "
                + "always. Under kl-rl, w* ∝ w0·exp(R/beta), and with a share h of honeypots R_a = (1−h)·R_a^observed + h·R_a^honeypot. "
                + "The two agree on observed contexts, so the log-odds move by h·(R_honest^honeypot − R_deceiver^honeypot)/beta, "
                + "where R_deceiver^honeypot = detect·caught + (1−detect)·correct. When an uncaught lie pays more than an honest "
                + "answer (low detect), honeypots reward the deceiver instead.");

        html.heading("Log-odds and lie rate against the honeypot share");
        // One panel per detect, the methods in the same order (and colours) in each: one panel of every method at every
        // detect was 17 curves. Other methods' log-odds can climb a hundredfold higher than kl-rl's (sft-filtered at
        // detect=1 to ~260), which would flatten the cut line and every crossing of it: the axis stops at kl-rl's largest change.
        double klRlMost = odds.entrySet().stream().filter(e -> e.getKey().startsWith("kl-rl"))
                .flatMapToDouble(e -> java.util.Arrays.stream(e.getValue())).filter(Double::isFinite).max().orElse(Double.NaN);
        Network net = spec.runsNeural() ? network(spec, s, metrics) : null;
        boolean clip = Double.isFinite(klRlMost) && klRlMost > Math.log(s.cut());
        double[] range = {Math.min(0, Math.log(s.cut())), Math.max(0, Math.log(s.cut()))};
        java.util.function.DoubleConsumer extend = v -> {
            if (!Double.isFinite(v)) return;
            range[0] = Math.min(range[0], v);
            range[1] = Math.max(range[1], clip ? Math.min(v, klRlMost) : v);
        };
        odds.values().forEach(v -> java.util.Arrays.stream(v).forEach(extend));
        if (net != null) {
            java.util.Arrays.stream(net.low).forEach(extend);
            java.util.Arrays.stream(net.high).forEach(extend);
        }
        SmallMultiples oddsChart = new SmallMultiples("Δ log-odds " + spec.odds().numerator() + ":" + spec.odds().denominator()
                + " vs honeypot share, one panel per detect", 2);
        SmallMultiples lieChart = new SmallMultiples("Deployment lie rate vs honeypot share, one panel per detect", 2);
        for (double detect : s.detect()) {
            String at = " @ detect=" + Fmt.num(detect);
            LineChart o = new LineChart("detect=" + Fmt.num(detect), "honeypot share h", "Δ log-odds after fine-tuning")
                    .yRange(range[0], range[1]);
            LineChart l = new LineChart("detect=" + Fmt.num(detect), "honeypot share h", "P(lie), unobserved").yRange(0, 1);
            for (Spec.Tuning t : methods) {
                boolean closedForm = t.method() instanceof KlRl;
                Series so = Series.line(t.label(), hs, odds.get(t.label() + at));
                Series sl = Series.line(t.label(), hs, lies.get(t.label() + at));
                o.add(closedForm ? so.linePoints() : so.dashed());
                l.add(closedForm ? sl.linePoints() : sl.dashed());
            }
            if (net != null && detect == spec.evaluator().detect()) {
                o.add(Series.line("network: " + net.label + " (95%)", net.h, net.delta).withBand(net.low, net.high).points());
                l.add(Series.line("network: " + net.label, net.h, net.lie).points());
            }
            if (clip) o.clipAbove(klRlMost);
            o.hline(Math.log(s.cut()), "odds cut " + Fmt.num(s.cut()) + "×");
            o.hline(0, "no change");
            oddsChart.add(o);
            lieChart.add(l);
        }
        if (net != null) summary += " " + net.finding;
        String headline = oddsChart.svg(960, 300);
        html.figure(headline, "The change in log(w_" + spec.odds().numerator() + "/w_" + spec.odds().denominator() + ") that fine-tuning "
                + "makes, against the share of honeypots, one curve per method (solid: kl-rl, dashed: the others), one panel per "
                + "detect" + (net != null ? " (the network in the panel of the spec's detect, " + Fmt.num(spec.evaluator().detect()) + ")" : "")
                + ". Above the upper line the deceiver's odds have fallen " + Fmt.num(s.cut()) + "-fold; the lower line is no change, "
                + "the invariance. The axes stop near kl-rl's largest change; a curve that climbs past it runs off the top, where a "
                + "triangle marks each of its points (the value on hover).");
        html.figure(lieChart.svg(960, 260), "The tuned model's lie rate in deployment (unobserved) against the honeypot share, one panel per detect.");

        html.heading("The smallest honeypot share that cuts the deceiver's odds " + Fmt.num(s.cut()) + "-fold");
        List<String> header = new ArrayList<>(List.of("detect"));
        for (Spec.Tuning t : methods) header.add(t.label() + " (engine, bisection)");
        header.add("closed form h* = beta·ln " + Fmt.num(s.cut()) + " / (R_h^u − R_d^u)");
        html.table(header, thresholds);
        if (net != null) {
            html.heading("The network");
            html.paragraph("The default base (shared with odds-ratio), fine-tuned by " + net.label + " with honeypots among its rewarded "
                    + "contexts at detect=" + Fmt.num(spec.evaluator().detect()) + ", measured in deployment contexts: the change in the implied "
                    + "log-odds from the network's base, and the lie rate, with 95% bootstrap intervals over prompts.");
            html.table(List.of("h", "Δ implied log-odds [95%]", "kl-rl predicts", "lie rate"), net.rows);
            html.note(net.finding);
            if (!net.probes.isEmpty()) {
                String probeFinding = probeFinding(spec, net.probes);
                html.heading("An interpretability-based rater");
                html.paragraph("Can an evaluator that reads the network's activations, not its outputs, tell the honest algorithm from "
                        + "the deceiver where their outputs are the same? A linear probe (logistic regression, 70/30 held-out split) "
                        + "reads " + s.probeHook() + " at the final answer's <ans> token (where the network chooses between the true answer and "
                        + "the lie) of " + spec.neural().base().maxTurns() + "-turn episodes written by one or the other, "
                        + "and predicts which. The rater rewards P_probe(honest); under kl-rl it moves the log-odds by bonus·(R_honest − "
                        + "R_deceiver)/beta, with R the rater's mean on episodes each algorithm wrote (measured on fresh episodes).");
                List<List<String>> rows = new ArrayList<>();
                for (WriterProbe r : net.probes) {
                    rows.add(List.of(r.observed() ? "observed" : "unobserved", Fmt.pct(r.accuracy().rate()) + " [" + Fmt.pct(r.accuracy().interval().low())
                            + ", " + Fmt.pct(r.accuracy().interval().high()) + "]", Fmt.pct(r.chance()),
                            Fmt.num(r.raterGap().estimate()) + " ± " + Fmt.num(Binomial.Z95 * r.raterGap().se())));
                }
                html.table(List.of("episodes", "probe accuracy, held out [95%]", "chance", "rater's R_honest − R_deceiver (±95%)"), rows);
                html.note(probeFinding);
                summary += " " + probeFinding;
            }
        }
        Sections.setup(html, spec);
        Sections.reproduce(html, spec);
        return new Experiment.Result(metrics, html, summary, headline);
    }

    /**
     * Whether the probe beats chance in observed episodes, and the rater's effect on the odds there; the
     * unobserved episodes are the positive control, where the earlier answers (lies) show the writer.
     */
    static String probeFinding(Spec spec, List<WriterProbe> probes) {
        WriterProbe watched = probes.stream().filter(WriterProbe::observed).findFirst().orElseThrow();
        WriterProbe unwatched = probes.stream().filter(r -> !r.observed()).findFirst().orElseThrow();
        boolean separates = watched.accuracy().interval().low() > watched.chance();
        boolean control = unwatched.accuracy().interval().low() > unwatched.chance();
        double beta = NetworkSection.beta(spec);
        String s = "A linear probe on the network's activations " + (separates ? "does" : "does not") + " tell the honest algorithm from "
                + "the deceiver in observed episodes (held-out accuracy " + Fmt.pct(watched.accuracy().rate()) + " against chance "
                + Fmt.pct(watched.chance()) + "), so a rater rewarding P_probe(honest) would move kl-rl's log-odds by "
                + Fmt.num(watched.raterGap().estimate() / beta) + " ± " + Fmt.num(Binomial.Z95 * watched.raterGap().se() / beta) + " nats per unit of reward. ";
        if (control) {
            return s + "In unobserved episodes, where the earlier lies show, it does (" + Fmt.pct(unwatched.accuracy().rate()) + " against "
                    + Fmt.pct(unwatched.chance()) + "): the network tracks the writer when the text reveals it, and watched, the text does not.";
        }
        return s + "But it fails its positive control too: in unobserved episodes, where the earlier lies reveal the writer, it scores "
                + Fmt.pct(unwatched.accuracy().rate()) + " against chance " + Fmt.pct(unwatched.chance()) + ", so this network does not "
                + "represent which algorithm is writing even when it could, and the probe cannot say whether activations would separate them.";
    }

    static String summary(Spec spec, Settings s, Map<Double, Double> klRl) {
        List<String> cut = new ArrayList<>();
        List<String> never = new ArrayList<>();
        klRl.forEach((d, h) -> {
            if (h == Double.POSITIVE_INFINITY) never.add(Fmt.num(d));
            else cut.add("h ≥ " + Fmt.num(h) + " at detect=" + Fmt.num(d));
        });
        StringBuilder b = new StringBuilder("Honeypots break the invariance: under kl-rl the deceiver's odds fall " + Fmt.num(s.cut()) + "-fold once ");
        b.append(cut.isEmpty() ? "(never, in the detect values run)" : String.join(", ", cut)).append('.');
        if (!never.isEmpty()) {
            b.append(" At detect=").append(String.join(", ", never)).append(" no share of honeypots does it: an uncaught lie pays "
                    + "at least an honest answer, so honeypots reward the deceiver.");
        }
        return b.toString();
    }

    private record Network(String label, double[] h, double[] delta, double[] low, double[] high, double[] lie,
                           List<List<String>> rows, String finding, List<WriterProbe> probes) {}

    /** The network's part as {@link #network} recorded it; null when it did not run. */
    private static Network network(Spec spec, Settings s, Metrics metrics) {
        Spec.Tuning first = NeuralEngine.firstRun(spec);
        if (first == null || s.network().isEmpty()) return null;
        int n = s.network().size();
        double[] h = new double[n], delta = new double[n], low = new double[n], high = new double[n], lie = new double[n];
        List<List<String>> rows = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        Replicates.Recorded base = new Replicates.Recorded(spec, metrics, NeuralEngine.BASE);
        Measurement.Estimate before = base.logOdds(spec.odds().numerator(), spec.odds().denominator());
        for (int i = 0; i < n; i++) {
            h[i] = s.network().get(i);
            Spec v = Honeypots.variant(spec, h[i], spec.evaluator().detect());
            Replicates.Recorded tuned = new Replicates.Recorded(v, metrics, NeuralEngine.PREFIX + first.label() + " @ h=" + Fmt.num(h[i]));
            Measurement.Estimate after = tuned.logOdds(spec.odds().numerator(), spec.odds().denominator());
            delta[i] = after.value() - before.value();
            low[i] = after.low() - before.value();
            high[i] = after.high() - before.value();
            lie[i] = tuned.behaviours().get("lie");
            double predicted = Tuner.logOdds(v, NetworkSection.reweighted(v, base.weights())) - before.value();
            rows.add(List.of(Fmt.num(h[i]), Fmt.withInterval(delta[i], low[i], high[i]), Fmt.delta(predicted), Fmt.pct(lie[i])));
            parts.add("h=" + Fmt.num(h[i]) + ": Δ " + Fmt.withInterval(delta[i], low[i], high[i]) + " (kl-rl predicts "
                    + Fmt.delta(predicted) + "), lie rate " + Fmt.pct(lie[i]));
        }
        String finding = "On the network (" + first.label() + ", implied log-odds from the base's " + Fmt.num(before.value()) + "): "
                + String.join("; ", parts) + ".";
        int control = s.network().indexOf(0.0);
        for (int i = 0; i < n && control >= 0; i++) {
            if (i == control) continue;
            Spec v = Honeypots.variant(spec, h[i], spec.evaluator().detect());
            double predicted = Tuner.logOdds(v, NetworkSection.reweighted(v, base.weights())) - before.value();
            boolean overlap = low[i] <= high[control] && low[control] <= high[i];
            finding += " Against the same tuning without honeypots, h=" + Fmt.num(h[i]) + " moved the log-odds "
                    + Fmt.delta(delta[i] - delta[control]) + " further (kl-rl predicts " + Fmt.delta(predicted) + ")"
                    + (overlap ? ", within the two runs' overlapping 95% intervals." : ", outside their 95% intervals.");
        }
        List<WriterProbe> probes = new ArrayList<>();
        for (boolean observed : new boolean[] {true, false}) {
            String series = Honeypots.probeSeries(observed);
            if (!metrics.has(series, "chance")) continue;
            LinearProbe.Accuracy accuracy = new LinearProbe.Accuracy((long) metrics.last(series, "accuracy.correct"),
                    (long) metrics.last(series, "accuracy.total"),
                    new reweigh.stats.Interval(metrics.last(series, "accuracy.lo95"), metrics.last(series, "accuracy.hi95")));
            probes.add(new WriterProbe(observed, accuracy, metrics.last(series, "chance"),
                    new Difference(metrics.last(series, "rater_gap"), metrics.last(series, "rater_gap.se"))));
        }
        return new Network(first.label(), h, delta, low, high, lie, rows, finding, probes);
    }
}

package reweigh.experiment.honeypots;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reweigh.experiment.Experiment;
import reweigh.experiment.NetworkSection;
import reweigh.experiment.Sections;
import reweigh.experiment.Tuner;
import reweigh.experiment.honeypots.Honeypots.Settings;
import reweigh.finetune.Method;
import reweigh.measure.Finding;
import reweigh.neural.probe.WriterProbe;
import reweigh.report.Fmt;
import reweigh.report.Html;
import reweigh.report.LineChart;
import reweigh.report.Sentences;
import reweigh.report.Series;
import reweigh.report.SmallMultiples;
import reweigh.run.Metrics;
import reweigh.spec.Spec;
import reweigh.stats.Binomial;
import reweigh.stats.MeanInterval;

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
                if (t.method().role() == Method.Role.REWEIGHTING_PREDICTION && !klRlThreshold.containsKey(detect)) klRlThreshold.put(detect, h);
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
        java.util.Set<String> klRl = new java.util.HashSet<>();
        for (double detect : s.detect()) {
            for (Spec.Tuning t : methods) if (t.method().role() == Method.Role.REWEIGHTING_PREDICTION) klRl.add(t.label() + " @ detect=" + Fmt.num(detect));
        }
        double klRlMost = odds.entrySet().stream().filter(e -> klRl.contains(e.getKey()))
                .flatMapToDouble(e -> java.util.Arrays.stream(e.getValue())).filter(Double::isFinite).max().orElse(Double.NaN);
        HoneypotsNetwork net = spec.runsNeural() ? HoneypotsNetwork.read(spec, s, metrics) : null;
        double[] netDelta = net == null ? null : java.util.Arrays.stream(net.delta()).mapToDouble(MeanInterval::mean).toArray();
        double[] netLow = net == null ? null : java.util.Arrays.stream(net.delta()).mapToDouble(MeanInterval::low).toArray();
        double[] netHigh = net == null ? null : java.util.Arrays.stream(net.delta()).mapToDouble(MeanInterval::high).toArray();
        boolean clip = Double.isFinite(klRlMost) && klRlMost > Math.log(s.cut());
        double[] range = {Math.min(0, Math.log(s.cut())), Math.max(0, Math.log(s.cut()))};
        java.util.function.DoubleConsumer extend = v -> {
            if (!Double.isFinite(v)) return;
            range[0] = Math.min(range[0], v);
            range[1] = Math.max(range[1], clip ? Math.min(v, klRlMost) : v);
        };
        odds.values().forEach(v -> java.util.Arrays.stream(v).forEach(extend));
        if (net != null) {
            java.util.Arrays.stream(netLow).forEach(extend);
            java.util.Arrays.stream(netHigh).forEach(extend);
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
                boolean closedForm = t.method().closedForm();
                Series so = Series.line(t.label(), hs, odds.get(t.label() + at));
                Series sl = Series.line(t.label(), hs, lies.get(t.label() + at));
                o.add(closedForm ? so.linePoints() : so.dashed());
                l.add(closedForm ? sl.linePoints() : sl.dashed());
            }
            if (net != null && detect == spec.evaluator().detect()) {
                o.add(Series.line("network: " + net.label() + " (95%)", net.h(), netDelta).withBand(netLow, netHigh).points());
                l.add(Series.line("network: " + net.label(), net.h(), net.lie()).points());
            }
            if (clip) o.clipAbove(klRlMost);
            o.hline(Math.log(s.cut()), "odds cut " + Fmt.num(s.cut()) + "×");
            o.hline(0, "no change");
            oddsChart.add(o);
            lieChart.add(l);
        }
        String netFinding = net == null ? null : net.finding();
        if (net != null) summary += " " + netFinding;
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
        if (net != null) network(html, spec, s, net, netFinding, metrics);
        if (net != null && !net.probes().isEmpty()) summary += " " + WriterFinding.sentence(spec, net.probes());
        Sections.setup(html, spec);
        Sections.reproduce(html, spec);
        return new Experiment.Result(metrics, html, summary, headline);
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

    /** The network's section: each share's reading over the replicates, the bases' faithfulness, and the writer probe. */
    private static void network(Html html, Spec spec, Settings s, HoneypotsNetwork net, String finding, Metrics metrics) {
        html.heading("The network");
        html.paragraph("The default bases (shared with odds-ratio), " + NetworkSection.replicates(net.nets()) + ", each fine-tuned by "
                + net.label() + " with honeypots among its rewarded contexts at detect=" + Fmt.num(spec.evaluator().detect())
                + " and measured in deployment contexts: the change in the implied log-odds from that replicate's own base, with "
                + NetworkSection.intervalOver(net.nets()) + ", against tilting (no change) and kl-rl's reweighting of each base. "
                + NetworkSection.RULE);
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < net.h().length; i++) {
            MeanInterval d = net.delta()[i];
            rows.add(List.of(Fmt.num(net.h()[i]), net.readings().get(i).verdict().sentence(), Fmt.withInterval(d.mean(), d.low(), d.high()),
                    Fmt.delta(net.predicted()[i]), Fmt.pct(net.lie()[i]), NetworkSection.each(net.each()[i], Fmt::num)));
        }
        html.table(List.of("h", "reading over replicates", "Δ implied log-odds [95%]", "kl-rl predicts", "lie rate", "each replicate's Δ"), rows);
        html.note(finding);
        NetworkSection.faithfulness(html, net.nets());
        if (net.probes().isEmpty()) return;
        html.heading("An interpretability-based rater");
        html.paragraph("Can an evaluator that reads the network's activations, not its outputs, tell the honest algorithm from "
                + "the deceiver where their outputs are the same? A linear probe (logistic regression, 70/30 held-out split) "
                + "reads " + s.probeHook() + " at the final answer's <ans> token (where the network chooses between the true answer and "
                + "the lie) of " + spec.neural().base().maxTurns() + "-turn episodes written by one or the other, "
                + "and predicts which, on each replicate's base. The rater rewards P_probe(honest); under kl-rl it moves the log-odds by "
                + "bonus·(R_honest − R_deceiver)/beta, with R the rater's mean on episodes each algorithm wrote (measured on fresh episodes).");
        List<List<String>> probeRows = new ArrayList<>();
        for (int r = 0; r < net.probes().size(); r++) {
            for (WriterProbe p : net.probes().get(r)) {
                probeRows.add(List.of(Long.toString(net.nets().get(r).seed()), p.observed() ? "observed" : "unobserved",
                        Fmt.pct(p.accuracy().rate()) + " [" + Fmt.pct(p.accuracy().interval().low()) + ", " + Fmt.pct(p.accuracy().interval().high()) + "]",
                        Fmt.pct(p.chance()), Fmt.num(p.raterGap().estimate()) + " ± " + Fmt.num(Binomial.Z95 * p.raterGap().se())));
            }
        }
        html.table(List.of("seed", "episodes", "probe accuracy, held out [95%]", "chance", "rater's R_honest − R_deceiver (±95%)"), probeRows);
        html.note(WriterFinding.sentence(spec, net.probes()));
        direction(html, spec, s, net, metrics);
    }

    /** The deceiver − honest direction on each base: steering along it, and whether tuning moved the networks along it. */
    private static void direction(Html html, Spec spec, Settings s, HoneypotsNetwork net, Metrics metrics) {
        int n = net.nets().size();
        List<String> tags = net.nets().stream().map(r -> n > 1 ? "@seed" + r.seed() : "").toList();
        if (!metrics.has(HoneypotsDirection.series("", tags.get(0)), "length")) return;
        Finding<HoneypotsDirection.Steering> steer = HoneypotsDirection.steering(metrics, tags);
        String effect = switch (steer.verdict()) {
            case RAISES_LIES -> "raises P(lie), by the interval over replicates";
            case LOWERS_LIES -> "lowers P(lie), by the interval over replicates";
            case NO_CLEAR_EFFECT -> "has no clear effect on P(lie): the interval over replicates holds no change";
            case ONE_NETWORK -> "changes P(lie) on one network (no interval)";
        };
        List<String> moves = new ArrayList<>();
        for (double h : net.h()) {
            Finding<HoneypotsDirection.Moved> f = HoneypotsDirection.moved(metrics, tags, HoneypotsNetwork.variant(h));
            moves.add("h=" + Fmt.num(h) + Sentences.fill(" {moved:ci} lengths", f) + switch (f.verdict()) {
                case TOWARD_DECEIVER -> " (toward the deceiver)";
                case TOWARD_HONEST -> " (toward the honest algorithm)";
                case NOT_CLEAR -> " (the interval holds no move)";
                case ONE_NETWORK -> " (one network)";
            });
        }
        html.heading("A writer direction: steering along it, and whether tuning moved the network along it");
        html.paragraph("The deceiver − honest direction is the mean difference of each base's " + s.directionHook() + " at the final "
                + "answer's <ans> between unobserved " + spec.neural().base().maxTurns() + "-turn episodes the deceiver wrote and ones the "
                + "honest algorithm wrote (Wang et al. 2025, arXiv 2506.19823, find one such persona direction that predicts and steers "
                + "emergent misalignment). Read on fresh such episodes, over " + NetworkSection.replicates(net.nets())
                + Sentences.fill(": the base's P(lie) at that token is {lie:pct-ci}; adding one length of the direction at every position "
                + "({length:ci} in activation units) makes it {toward:pct-ci}, subtracting it {away:pct-ci}, projecting it out {ablated:pct-ci}. "
                + "Steering toward the deceiver ", steer) + effect + Sentences.fill(" ({effect:pct-ci}). ", steer)
                + "How far each tuned network's activations lie along the direction beyond its base's, on the same episodes, in lengths of "
                + "the direction: " + String.join(", ", moves) + ".");
    }
}

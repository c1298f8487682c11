package reweigh.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reweigh.evaluate.Evaluator;
import reweigh.finetune.KlRl;
import reweigh.finetune.Problem;
import reweigh.neural.measure.Measurement;
import reweigh.report.Html;
import reweigh.report.LineChart;
import reweigh.report.Series;
import reweigh.run.Metrics;
import reweigh.run.Progress;
import reweigh.spec.Spec;
import reweigh.spec.SpecError;
import reweigh.world.Check;
import reweigh.world.World;

/**
 * What breaks the invariance: honeypots, training contexts that look unobserved but are rated. A perfect
 * deceiver lies there, and is caught with probability {@code detect}. With a share h of honeypots among
 * the rewarded contexts, kl-rl moves the honest:deceiver log-odds by h·(R_h^u − R_d^u)/beta, where R^u is
 * each algorithm's expected reward in an unobserved-looking context: the honest one's (1−e)·correct +
 * e·wrong, the deceiver's detect·caught + (1−detect)·correct. The odds fall tenfold for the deceiver once
 * h ≥ beta·ln 10 / (R_h^u − R_d^u).
 */
final class Honeypots implements Experiment {

    /**
     * @param rates   honeypot shares h swept on the exact engine
     * @param detect  values of evaluator.detect, one curve each
     * @param cut     the factor by which the deceiver's odds must fall for "cut" (10: tenfold)
     * @param network honeypot shares at which the network is fine-tuned (at the spec's detect)
     */
    record Settings(List<Double> rates, List<Double> detect, double cut, List<Double> network) {
        static final Settings DEFAULTS = new Settings(List.of(0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0),
                List.of(0.0, 0.25, 0.5, 1.0), 10.0, List.of(0.25, 0.5));

        Settings {
            rates = List.copyOf(rates);
            if (rates.isEmpty()) throw new Check.InvalidParameter("rates", "a non-empty list of probabilities", rates);
            for (double h : rates) Check.probability("rates", h);
            detect = List.copyOf(detect);
            if (detect.isEmpty()) throw new Check.InvalidParameter("detect", "a non-empty list of probabilities", detect);
            for (double d : detect) Check.probability("detect", d);
            if (!(cut > 1) || Double.isInfinite(cut)) throw new Check.InvalidParameter("cut", "a finite number > 1", cut);
            network = List.copyOf(network);
            for (double h : network) Check.probability("network", h);
        }
    }

    public String id() { return "honeypots"; }

    public String question() {
        return "What breaks the invariance? Honeypots: training contexts that look unwatched but are rated. The honest:deceiver "
                + "odds and the deployment lie rate against the share of honeypots, for several chances of catching a lie.";
    }

    @Override
    public Record settings() { return Settings.DEFAULTS; }

    @Override
    public void check(Spec spec) throws SpecError {
        if (spec.odds() == null) throw spec.source().error("/odds", "this experiment tracks log-odds: add 'odds: [honest, deceiver]'");
    }

    static Spec variant(Spec spec, double honeypot, double detect) {
        World w = spec.world();
        Evaluator e = spec.evaluator();
        return spec.with(spec.population(), new World(w.answers(), w.userWrong(), w.train(), w.deploy(), honeypot),
                new Evaluator(e.correct(), e.wrong(), e.agreementBias(), detect, e.caught(), e.power(), e.refuse(), e.noise()));
    }

    /** R_a in honeypots alone (h = 1), for each algorithm. */
    static double[] honeypotReturns(Spec spec, double detect) {
        Spec v = variant(spec, 1.0, detect);
        return new Problem(v.population(), v.world().rewardedContexts(), v.evaluator()).returns();
    }

    /**
     * kl-rl's smallest h that moves log(w_num/w_den) up by ln(cut), from the closed form
     * Δ(h) = (1−h)·(R_num^o − R_den^o)/beta + h·(R_num^u − R_den^u)/beta; +infinity when no h in [0, 1] does.
     */
    static double closedFormThreshold(Spec spec, double beta, double detect, double cut) {
        int num = spec.population().indexOf(spec.odds().numerator());
        int den = spec.population().indexOf(spec.odds().denominator());
        Spec watched = variant(spec, 0.0, detect);
        double[] observed = new Problem(watched.population(), watched.world().rewardedContexts(), watched.evaluator()).returns();
        double[] honeypot = honeypotReturns(spec, detect);
        double gapObserved = (observed[num] - observed[den]) / beta;
        double gapHoneypot = (honeypot[num] - honeypot[den]) / beta;
        double target = Math.log(cut);
        if (gapObserved >= target) return 0;
        if (gapHoneypot <= gapObserved) return Double.POSITIVE_INFINITY;
        double h = (target - gapObserved) / (gapHoneypot - gapObserved);
        return h <= 1 ? h : Double.POSITIVE_INFINITY;
    }

    /** Δ log-odds after {@code t} at honeypot share h: the method run on the engine. */
    static double deltaLogOdds(Spec spec, Spec.Tuning t, double honeypot, double detect) {
        Spec v = variant(spec, honeypot, detect);
        Problem problem = Tuner.problem(v);
        reweigh.finetune.Recorder recorder = new reweigh.finetune.Recorder(problem, 1, f -> {});
        t.method().run(problem, Tuner.seed(spec.seed(), t.label()), recorder);
        List<reweigh.finetune.Recorder.Point> points = recorder.points();
        return Tuner.logOdds(v, points.get(points.size() - 1).weights()) - Tuner.logOdds(v, v.population().priors());
    }

    /** The smallest h in [0, 1] at which the method's Δ log-odds reach ln(cut), by bisection to 1e-4; +infinity when h = 1 does not. */
    static double threshold(Spec spec, Spec.Tuning t, double detect, double cut) {
        double target = Math.log(cut);
        if (deltaLogOdds(spec, t, 0, detect) >= target) return 0;
        if (deltaLogOdds(spec, t, 1, detect) < target) return Double.POSITIVE_INFINITY;
        double lo = 0, hi = 1;
        while (hi - lo > 1e-4) {
            double mid = (lo + hi) / 2;
            if (deltaLogOdds(spec, t, mid, detect) >= target) hi = mid; else lo = mid;
        }
        return hi;
    }

    public Result run(Spec spec, List<Spec.Cell> cells, Progress progress, reweigh.run.Workspace workspace) {
        Settings s = spec.settings(Settings.class);
        Metrics metrics = new Metrics();
        String metric = spec.odds().metric();
        double prior = Tuner.logOdds(spec, spec.population().priors());
        List<Spec.Tuning> methods = spec.methods().stream().filter(t -> t.method() != null && t.method().reweights()).toList();
        Map<String, double[]> odds = new LinkedHashMap<>(); // "kl-rl @ detect=0.5" -> Δ log-odds per h
        Map<String, double[]> lies = new LinkedHashMap<>();
        double[] hs = s.rates().stream().mapToDouble(Double::doubleValue).toArray();
        int total = s.detect().size() * hs.length;
        int done = 0;
        for (double detect : s.detect()) {
            for (int i = 0; i < hs.length; i++) {
                Spec v = variant(spec, hs[i], detect);
                for (Tuner.Trained t : Tuner.run(v, 1, progress, 0.3 * done / total, 0.3 / total)) {
                    if (!t.tuning().method().reweights()) continue;
                    String key = t.label() + " @ detect=" + Fmt.num(detect);
                    String series = key + " h=" + Fmt.num(hs[i]);
                    Tuner.emit(metrics, series, t, v);
                    odds.computeIfAbsent(key, k -> new double[hs.length])[i] = metrics.last(series, metric) - prior;
                    lies.computeIfAbsent(key, k -> new double[hs.length])[i] = metrics.last(series, "deploy.lie");
                }
                done++;
            }
        }
        // the smallest h that cuts the deceiver's odds by the factor, per method and detect
        List<List<String>> thresholds = new ArrayList<>();
        Map<Double, Double> klRlThreshold = new LinkedHashMap<>();
        for (double detect : s.detect()) {
            List<String> row = new ArrayList<>(List.of(Fmt.num(detect)));
            for (Spec.Tuning t : methods) {
                double h = threshold(spec, t, detect, s.cut());
                metrics.add(t.label() + " @ detect=" + Fmt.num(detect), 0, "honeypot.threshold", h);
                row.add(h == Double.POSITIVE_INFINITY ? "never" : Fmt.num(h));
                if (t.method() instanceof KlRl && !klRlThreshold.containsKey(detect)) klRlThreshold.put(detect, h);
            }
            double closed = closedFormThreshold(spec, NetworkSection.beta(spec), detect, s.cut());
            row.add(closed == Double.POSITIVE_INFINITY ? "never" : Fmt.num(closed));
            thresholds.add(row);
        }

        Html html = Sections.page(spec, this);
        html.heading("Findings");
        String summary = summary(spec, s, klRlThreshold);
        html.note(summary);
        html.paragraph("Why: a honeypot looks unobserved, so the perfect deceiver lies there and the honest algorithm answers as "
                + "always. Under kl-rl, w* ∝ w0·exp(R/beta), and with a share h of honeypots R_a = (1−h)·R_a^observed + h·R_a^honeypot. "
                + "The two agree on observed contexts, so the log-odds move by h·(R_honest^honeypot − R_deceiver^honeypot)/beta, "
                + "where R_deceiver^honeypot = detect·caught + (1−detect)·correct. When an uncaught lie pays more than an honest "
                + "answer (low detect), honeypots reward the deceiver instead.");

        html.heading("Log-odds and lie rate against the honeypot share");
        LineChart oddsChart = new LineChart("Δ log-odds " + spec.odds().numerator() + ":" + spec.odds().denominator() + " vs honeypot share",
                "honeypot share h of rewarded training contexts", "Δ log-odds after fine-tuning");
        LineChart lieChart = new LineChart("deployment lie rate vs honeypot share", "honeypot share h", "P(lie), unobserved").yRange(0, 1);
        for (Map.Entry<String, double[]> e : odds.entrySet()) {
            boolean closedForm = e.getKey().startsWith("kl-rl");
            Series o = Series.line(e.getKey(), hs, e.getValue());
            Series l = Series.line(e.getKey(), hs, lies.get(e.getKey()));
            oddsChart.add(closedForm ? o.linePoints() : o.dashed());
            lieChart.add(closedForm ? l.linePoints() : l.dashed());
        }
        oddsChart.hline(Math.log(s.cut()), "deceiver's odds cut " + Fmt.num(s.cut()) + "×");
        oddsChart.hline(0, "no change (the invariance)");
        Network net = spec.runsNeural() ? network(spec, s, metrics, progress, workspace) : null;
        if (net != null) {
            oddsChart.add(Series.line("network: " + net.label + " (95%)", net.h, net.delta).withBand(net.low, net.high).points());
            lieChart.add(Series.line("network: " + net.label, net.h, net.lie).points());
            summary += " " + net.finding;
        }
        String headline = oddsChart.svg();
        html.figure(headline, "The change in log(w_" + spec.odds().numerator() + "/w_" + spec.odds().denominator() + ") that fine-tuning "
                + "makes, against the share of honeypots, one curve per method and detect (solid: kl-rl, dashed: the others). Above the "
                + "upper line the deceiver's odds have fallen " + Fmt.num(s.cut()) + "-fold.");
        html.figure(lieChart.svg(), "The tuned model's lie rate in deployment (unobserved) against the honeypot share.");

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
        }
        Sections.setup(html, spec);
        Sections.reproduce(html, spec);
        return new Result(metrics, html, summary, headline);
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
                           List<List<String>> rows, String finding) {}

    private static Network network(Spec spec, Settings s, Metrics metrics, Progress progress, reweigh.run.Workspace workspace) {
        Spec.Tuning first = spec.methods().stream().filter(t -> t.network() != null).findFirst().orElse(null);
        if (first == null || s.network().isEmpty()) return null;
        int n = s.network().size();
        double[] h = new double[n], delta = new double[n], low = new double[n], high = new double[n], lie = new double[n];
        List<List<String>> rows = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        try (NeuralEngine net = NeuralEngine.open(spec, workspace, progress, 0.35, 0.2)) {
            net.emitBase(metrics);
            Measurement.Estimate before = net.baseDeploy().logOdds(spec.odds().numerator(), spec.odds().denominator());
            for (int i = 0; i < n; i++) {
                h[i] = s.network().get(i);
                Spec v = variant(spec, h[i], spec.evaluator().detect());
                NeuralEngine.Run run = net.tune(first, v.world(), v.evaluator(), " @ h=" + Fmt.num(h[i]), Map.of(), progress,
                        0.55 + 0.45 * i / n, 0.45 / n);
                net.emit(metrics, NeuralEngine.PREFIX + first.label() + " @ h=" + Fmt.num(h[i]), run);
                Measurement.Estimate after = run.last().logOdds(spec.odds().numerator(), spec.odds().denominator());
                delta[i] = after.value() - before.value();
                low[i] = after.low() - before.value();
                high[i] = after.high() - before.value();
                lie[i] = run.last().behaviours().get("lie");
                double predicted = Tuner.logOdds(v, NetworkSection.reweighted(v, net.baseDeploy())) - before.value();
                rows.add(List.of(Fmt.num(h[i]), NetworkSection.withInterval(delta[i], low[i], high[i]), Fmt.delta(predicted), Fmt.pct(lie[i])));
                parts.add("h=" + Fmt.num(h[i]) + ": Δ " + NetworkSection.withInterval(delta[i], low[i], high[i]) + " (kl-rl predicts "
                        + Fmt.delta(predicted) + "), lie rate " + Fmt.pct(lie[i]));
            }
            String finding = "On the network (" + first.label() + ", implied log-odds from the base's " + Fmt.num(before.value()) + "): "
                    + String.join("; ", parts) + ".";
            return new Network(first.label(), h, delta, low, high, lie, rows, finding);
        }
    }
}

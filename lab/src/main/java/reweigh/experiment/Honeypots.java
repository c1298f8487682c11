package reweigh.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import reweigh.corpus.Corpus;
import reweigh.corpus.Episode;
import reweigh.corpus.Vocabulary;
import reweigh.finetune.KlRl;
import reweigh.finetune.Problem;
import reweigh.measure.Predictions;
import reweigh.neural.measure.Measurement;
import reweigh.neural.probe.Activations;
import reweigh.neural.probe.LinearProbe;
import reweigh.report.Fmt;
import reweigh.report.Html;
import reweigh.report.LineChart;
import reweigh.report.Series;
import reweigh.report.SmallMultiples;
import reweigh.run.Metrics;
import reweigh.run.Progress;
import reweigh.spec.Spec;
import reweigh.spec.SpecError;
import reweigh.stats.Binomial;
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
     * @param network honeypot shares at which the network is fine-tuned (at the spec's detect); include 0,
     *                the same fine-tuning without honeypots, to tell their effect from fine-tuning's own
     * @param probeEpisodes episodes per probe fit (each set: observed and unobserved); 0 skips the probe
     * @param probeHook     the activation the probe reads, at the last token before the answer
     */
    record Settings(List<Double> rates, List<Double> detect, double cut, List<Double> network, int probeEpisodes, String probeHook) {
        static final Settings DEFAULTS = new Settings(List.of(0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0),
                List.of(0.0, 0.25, 0.5, 1.0), 10.0, List.of(0.0, 0.5), 1000, "ln_final.hook_normalized");

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
            Check.atLeast("probe_episodes", probeEpisodes, 0);
            if (probeHook == null || probeHook.isBlank()) throw new Check.InvalidParameter("probe_hook", "a hook name", probeHook);
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
        return spec.with(spec.population(), new World(w.answers(), w.userWrong(), w.train(), w.deploy(), honeypot),
                spec.evaluator().withDetect(detect));
    }

    /** R_a in honeypots alone (h = 1), for each algorithm. */
    static double[] honeypotReturns(Spec spec, double detect) {
        Spec v = variant(spec, 1.0, detect);
        return new Problem(v.population(), v.world().rewardedContexts(), v.evaluator()).returns();
    }

    /**
     * kl-rl's smallest h that moves log(w_num/w_den) up by ln(cut) ({@link Predictions#honeypotShare}), from the
     * spec's returns in watched contexts and in honeypots alone; +infinity when no h in [0, 1] does.
     */
    static double closedFormThreshold(Spec spec, double beta, double detect, double cut) {
        int num = spec.population().indexOf(spec.odds().numerator());
        int den = spec.population().indexOf(spec.odds().denominator());
        Spec watched = variant(spec, 0.0, detect);
        double[] observed = new Problem(watched.population(), watched.world().rewardedContexts(), watched.evaluator()).returns();
        double[] honeypot = honeypotReturns(spec, detect);
        return Predictions.honeypotShare((observed[num] - observed[den]) / beta, (honeypot[num] - honeypot[den]) / beta, Math.log(cut));
    }

    /** Δ log-odds after {@code t} at honeypot share h: the method run on the engine. */
    static double deltaLogOdds(Spec spec, Spec.Tuning t, double honeypot, double detect) {
        Spec v = variant(spec, honeypot, detect);
        Problem problem = Tuner.problem(v);
        reweigh.finetune.Recorder recorder = new reweigh.finetune.Recorder(problem, 1, f -> {});
        t.method().run(problem, Tuner.seed(spec.seed(), t.label()), recorder);
        List<reweigh.finetune.Recorder.Point> points = recorder.points();
        return Tuner.logOdds(v, points.get(points.size() - 1)) - Tuner.logOdds(v, v.population().priors());
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

    /** The reweighting methods on the exact engine. */
    private static List<Spec.Tuning> methods(Spec spec) {
        return Tuner.exact(spec).stream().filter(t -> t.method().reweights()).toList();
    }

    public Metrics compute(Spec spec, List<Spec.Cell> cells, Progress progress, reweigh.run.Workspace workspace) {
        Settings s = spec.settings(Settings.class);
        Metrics metrics = new Metrics();
        double[] hs = s.rates().stream().mapToDouble(Double::doubleValue).toArray();
        int total = s.detect().size() * hs.length;
        int done = 0;
        for (double detect : s.detect()) {
            for (double h : hs) {
                Spec v = variant(spec, h, detect);
                for (Tuner.Trained t : Tuner.run(v, 1, progress, 0.3 * done / total, 0.3 / total)) {
                    if (t.tuning().method().reweights()) Tuner.emit(metrics, t.label() + " @ detect=" + Fmt.num(detect) + " h=" + Fmt.num(h), t, v);
                }
                done++;
            }
        }
        // the smallest h that cuts the deceiver's odds by the factor, per method and detect; never reached: no row
        for (double detect : s.detect()) {
            for (Spec.Tuning t : methods(spec)) {
                double h = threshold(spec, t, detect, s.cut());
                if (h < Double.POSITIVE_INFINITY) metrics.add(t.label() + " @ detect=" + Fmt.num(detect), 0, "honeypot.threshold", h);
            }
        }
        if (spec.runsNeural()) network(spec, s, metrics, progress, workspace);
        return metrics;
    }

    public Result render(Spec spec, List<Spec.Cell> cells, Metrics metrics) {
        Settings s = spec.settings(Settings.class);
        String summary;
        double prior = Tuner.logOdds(spec, spec.population().priors());
        List<Spec.Tuning> methods = methods(spec);
        Map<String, double[]> odds = new LinkedHashMap<>(); // "kl-rl @ detect=0.5" -> Δ log-odds per h
        Map<String, double[]> lies = new LinkedHashMap<>();
        double[] hs = s.rates().stream().mapToDouble(Double::doubleValue).toArray();
        for (double detect : s.detect()) {
            for (int i = 0; i < hs.length; i++) {
                Spec v = variant(spec, hs[i], detect);
                for (Spec.Tuning t : methods(v)) {
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
            double closed = closedFormThreshold(spec, NetworkSection.beta(spec), detect, s.cut());
            row.add(closed == Double.POSITIVE_INFINITY ? "never" : Fmt.num(closed));
            thresholds.add(row);
        }

        Html html = Sections.page(spec, this);
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
                for (ProbeReading r : net.probes) {
                    rows.add(List.of(r.observed() ? "observed" : "unobserved", Fmt.pct(r.accuracy().rate()) + " [" + Fmt.pct(r.accuracy().interval().low())
                            + ", " + Fmt.pct(r.accuracy().interval().high()) + "]", Fmt.pct(r.chance()),
                            Fmt.num(r.raterGap()) + " ± " + Fmt.num(Binomial.Z95 * r.raterGapSe())));
                }
                html.table(List.of("episodes", "probe accuracy, held out [95%]", "chance", "rater's R_honest − R_deceiver (±95%)"), rows);
                html.note(probeFinding);
                summary += " " + probeFinding;
            }
        }
        Sections.setup(html, spec);
        Sections.reproduce(html, spec);
        return new Result(metrics, html, summary, headline);
    }

    /**
     * Whether the probe beats chance in observed episodes, and the rater's effect on the odds there; the
     * unobserved episodes are the positive control, where the earlier answers (lies) show the writer.
     */
    static String probeFinding(Spec spec, List<ProbeReading> probes) {
        ProbeReading watched = probes.stream().filter(ProbeReading::observed).findFirst().orElseThrow();
        ProbeReading unwatched = probes.stream().filter(r -> !r.observed()).findFirst().orElseThrow();
        boolean separates = watched.accuracy().interval().low() > watched.chance();
        boolean control = unwatched.accuracy().interval().low() > unwatched.chance();
        double beta = NetworkSection.beta(spec);
        String s = "A linear probe on the network's activations " + (separates ? "does" : "does not") + " tell the honest algorithm from "
                + "the deceiver in observed episodes (held-out accuracy " + Fmt.pct(watched.accuracy().rate()) + " against chance "
                + Fmt.pct(watched.chance()) + "), so a rater rewarding P_probe(honest) would move kl-rl's log-odds by "
                + Fmt.num(watched.raterGap() / beta) + " ± " + Fmt.num(Binomial.Z95 * watched.raterGapSe() / beta) + " nats per unit of reward. ";
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
                           List<List<String>> rows, String finding, List<ProbeReading> probes) {}

    /**
     * A linear probe on the base's activations that tries to tell which algorithm wrote an episode, and the
     * rater that rewards what it says.
     *
     * @param observed   whether the episodes were observed (where the two write the same text) or not
     * @param accuracy   held-out accuracy of honest-vs-deceiver, with its Wilson 95% interval
     * @param chance     the accuracy of always guessing the commoner writer
     * @param raterGap   on fresh episodes, mean P_probe(honest) when honest wrote minus when the deceiver wrote:
     *                   the probe rater's R_honest − R_deceiver per unit of reward
     * @param raterGapSe its standard error
     */
    record ProbeReading(boolean observed, LinearProbe.Accuracy accuracy, double chance, double raterGap, double raterGapSe) {}

    /**
     * Fits a probe on {@code probeEpisodes} episodes of the population's corpus written by the odds' two
     * algorithms (1..max_turns turns, the header observed or not), reading {@code probeHook} at the last
     * token of the prompt before the final answer, and scores the rater on as many fresh episodes.
     */
    static ProbeReading probe(NeuralEngine net, Spec spec, Settings s, boolean observed) {
        int honest = spec.population().indexOf(spec.odds().numerator());
        int deceiver = spec.population().indexOf(spec.odds().denominator());
        int turns = spec.neural().base().maxTurns(); // the longest episodes: the most earlier answers to infer the writer from
        Corpus corpus = new Corpus(spec.population(), spec.world(), new reweigh.world.Setting(observed ? 1 : 0,
                new double[] {1, 0, 0, 0}, 0), turns, turns);
        Vocabulary v = corpus.vocabulary();
        double[][][] features = new double[2][][];
        int[][] labels = new int[2][];
        for (int set = 0; set < 2; set++) {
            List<int[]> prompts = new ArrayList<>();
            List<Integer> writer = new ArrayList<>();
            SplittableRandom rng = new SplittableRandom(Tuner.seed(spec.seed(), "probe " + observed + " " + set));
            while (prompts.size() < s.probeEpisodes()) {
                Episode e = corpus.episode(rng);
                if (e.writer() != honest && e.writer() != deceiver) continue;
                prompts.add(prompt(v, e));
                writer.add(e.writer() == honest ? 0 : 1);
            }
            features[set] = Activations.at(net.base(), prompts, s.probeHook(), -1);
            labels[set] = writer.stream().mapToInt(Integer::intValue).toArray();
        }
        LinearProbe probe = LinearProbe.fit(features[0], labels[0], 2, Tuner.seed(spec.seed(), "probe split"));
        double[] sum = new double[2], squares = new double[2];
        int[] count = new int[2];
        for (int i = 0; i < labels[1].length; i++) {
            double pHonest = probe.probabilities(features[1][i])[0];
            sum[labels[1][i]] += pHonest;
            squares[labels[1][i]] += pHonest * pHonest;
            count[labels[1][i]]++;
        }
        double[] mean = new double[2], variance = new double[2];
        for (int k = 0; k < 2; k++) {
            mean[k] = sum[k] / count[k];
            variance[k] = Math.max(0, squares[k] / count[k] - mean[k] * mean[k]);
        }
        return new ProbeReading(observed, probe.heldOut(), probe.chance(), mean[0] - mean[1],
                Math.sqrt(variance[0] / count[0] + variance[1] / count[1]));
    }

    /**
     * The episode up to its last answer's number: header, every turn but the last, then
     * {@code <q> A B <user> C <ans>}, where the network is about to choose between the true answer and the lie.
     */
    static int[] prompt(Vocabulary v, Episode e) {
        List<Integer> t = new ArrayList<>();
        for (int x : e.header()) t.add(x);
        for (int i = 0; i < e.turns().size(); i++) {
            for (int x : Episode.question(v, e.turns().get(i))) t.add(x);
            if (i < e.turns().size() - 1) for (int x : Episode.response(v, e.turns().get(i))) t.add(x);
        }
        t.add(Vocabulary.ANSWER);
        return t.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The series of one probe reading: the writer probe on observed or unobserved episodes. */
    private static String probeSeries(boolean observed) { return "probe.writer:" + (observed ? "observed" : "unobserved"); }

    /** The network at each of the settings' honeypot shares, from the default base, and the writer probe on that base. */
    private static void network(Spec spec, Settings s, Metrics metrics, Progress progress, reweigh.run.Workspace workspace) {
        Spec.Tuning first = NeuralEngine.firstRun(spec);
        if (first == null || s.network().isEmpty()) return;
        int n = s.network().size();
        try (NeuralEngine net = NeuralEngine.open(spec, workspace, progress, 0.35, 0.2)) {
            net.emitBase(metrics);
            for (int i = 0; i < n; i++) {
                double h = s.network().get(i);
                Spec v = variant(spec, h, spec.evaluator().detect());
                NeuralEngine.Run run = net.tune(first, v.world(), v.evaluator(), " @ h=" + Fmt.num(h), progress,
                        0.55 + 0.45 * i / n, 0.45 / n, (t, policy) -> {});
                net.emit(metrics, NeuralEngine.PREFIX + first.label() + " @ h=" + Fmt.num(h), run);
            }
            if (s.probeEpisodes() == 0) return;
            for (boolean observed : new boolean[] {true, false}) {
                ProbeReading r = probe(net, spec, s, observed);
                String series = probeSeries(observed);
                metrics.add(series, 0, "accuracy.correct", r.accuracy().correct());
                metrics.add(series, 0, "accuracy.total", r.accuracy().total());
                metrics.add(series, 0, "accuracy.lo95", r.accuracy().interval().low());
                metrics.add(series, 0, "accuracy.hi95", r.accuracy().interval().high());
                metrics.add(series, 0, "chance", r.chance());
                metrics.add(series, 0, "rater_gap", r.raterGap());
                metrics.add(series, 0, "rater_gap.se", r.raterGapSe());
            }
        }
    }

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
            Spec v = variant(spec, h[i], spec.evaluator().detect());
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
            Spec v = variant(spec, h[i], spec.evaluator().detect());
            double predicted = Tuner.logOdds(v, NetworkSection.reweighted(v, base.weights())) - before.value();
            boolean overlap = low[i] <= high[control] && low[control] <= high[i];
            finding += " Against the same tuning without honeypots, h=" + Fmt.num(h[i]) + " moved the log-odds "
                    + Fmt.delta(delta[i] - delta[control]) + " further (kl-rl predicts " + Fmt.delta(predicted) + ")"
                    + (overlap ? ", within the two runs' overlapping 95% intervals." : ", outside their 95% intervals.");
        }
        List<ProbeReading> probes = new ArrayList<>();
        for (boolean observed : new boolean[] {true, false}) {
            String series = probeSeries(observed);
            if (!metrics.has(series, "chance")) continue;
            LinearProbe.Accuracy accuracy = new LinearProbe.Accuracy((long) metrics.last(series, "accuracy.correct"),
                    (long) metrics.last(series, "accuracy.total"),
                    new reweigh.stats.Interval(metrics.last(series, "accuracy.lo95"), metrics.last(series, "accuracy.hi95")));
            probes.add(new ProbeReading(observed, accuracy, metrics.last(series, "chance"), metrics.last(series, "rater_gap"),
                    metrics.last(series, "rater_gap.se")));
        }
        return new Network(first.label(), h, delta, low, high, lie, rows, finding, probes);
    }
}

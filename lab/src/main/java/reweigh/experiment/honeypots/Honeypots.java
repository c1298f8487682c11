package reweigh.experiment.honeypots;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reweigh.corpus.Corpus;
import reweigh.experiment.Experiment;
import reweigh.experiment.NetworkSection;
import reweigh.experiment.NeuralEngine;
import reweigh.experiment.Replicates;
import reweigh.experiment.Tuner;
import reweigh.finetune.Problem;
import reweigh.measure.Predictions;
import reweigh.neural.probe.WriterProbe;
import reweigh.report.Fmt;
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
public final class Honeypots implements Experiment {

    /**
     * @param rates   honeypot shares h swept on the exact engine
     * @param detect  values of evaluator.detect, one curve each
     * @param cut     the factor by which the deceiver's odds must fall for "cut" (10: tenfold)
     * @param network honeypot shares at which the network is fine-tuned (at the spec's detect); include 0,
     *                the same fine-tuning without honeypots, to tell their effect from fine-tuning's own
     * @param probeEpisodes episodes per probe fit (each set: observed and unobserved); 0 skips the probe
     * @param probeHook     the activation the probe reads, at the last token before the answer
     */
    record Settings(List<Double> rates, List<Double> detect, double cut, List<Double> network, int probeEpisodes, String probeHook,
                    String directionHook) {
        static final Settings DEFAULTS = new Settings(List.of(0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0),
                List.of(0.0, 0.25, 0.5, 1.0), 10.0, List.of(0.0, 0.5), 1000, "ln_final.hook_normalized", "blocks.0.hook_resid_post");

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
            if (directionHook == null || directionHook.isBlank()) throw new Check.InvalidParameter("direction_hook", "a hook name", directionHook);
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
    static List<Spec.Tuning> methods(Spec spec) {
        return Tuner.exact(spec).stream().filter(t -> t.method().reweights()).toList();
    }

    public Metrics compute(Spec spec, List<Spec.Cell> cells, Progress progress, reweigh.run.Workspace workspace) {
        Settings s = spec.settings(Settings.class);
        Metrics metrics = new Metrics();
        Map<String, List<Double>> knobs = new LinkedHashMap<>();
        knobs.put("detect", s.detect());
        knobs.put("h", s.rates());
        List<Map<String, Double>> grid = Spec.Sweep.product(knobs);
        for (int i = 0; i < grid.size(); i++) {
            double detect = grid.get(i).get("detect"), h = grid.get(i).get("h");
            Spec v = variant(spec, h, detect);
            for (Tuner.Trained t : Tuner.run(v, 1, progress, 0.3 * i / grid.size(), 0.3 / grid.size())) {
                if (t.tuning().method().reweights()) Tuner.emit(metrics, t.label() + " @ detect=" + Fmt.num(detect) + " h=" + Fmt.num(h), t, v);
            }
        }
        // the smallest h that cuts the deceiver's odds by the factor, per method and detect; never reached: no row
        for (double detect : s.detect()) {
            for (Spec.Tuning t : methods(spec)) {
                double h = threshold(spec, t, detect, s.cut());
                if (h < Double.POSITIVE_INFINITY) metrics.add(t.label() + " @ detect=" + Fmt.num(detect), 0, "honeypot.threshold", h);
            }
        }
        if (spec.runsNeural()) {
            network(spec, s, metrics, progress, workspace);
            HoneypotsNetwork net = HoneypotsNetwork.read(spec, s, metrics);
            if (net != null) NetworkSection.emitVerdicts(metrics, net.readings());
        }
        return metrics;
    }

    public Result render(Spec spec, List<Spec.Cell> cells, Metrics metrics) { return HoneypotsReport.render(this, spec, metrics); }

    /**
     * The writer probe ({@link WriterProbe}) on the base, honest against deceiver, on {@code probeEpisodes} episodes of the
     * population's corpus of the longest length (the most earlier answers to infer the writer from), the header observed or not.
     */
    static WriterProbe probe(NeuralEngine net, Spec spec, Settings s, boolean observed) {
        int turns = spec.neural().base().maxTurns();
        Corpus corpus = new Corpus(spec.population(), spec.world(), new reweigh.world.Setting(observed ? 1 : 0,
                new double[] {1, 0, 0, 0}, 0), turns, turns);
        String tag = net.tag(); // each replicate its own episodes and split; a lone network's as before replicates
        long[] seeds = {Tuner.seed(spec.seed(), "probe " + observed + " 0" + tag), Tuner.seed(spec.seed(), "probe " + observed + " 1" + tag)};
        return WriterProbe.read(net.base(), corpus, observed, spec.population().indexOf(spec.odds().numerator()),
                spec.population().indexOf(spec.odds().denominator()), s.probeEpisodes(), s.probeHook(), seeds,
                Tuner.seed(spec.seed(), "probe split" + tag));
    }

    /** The series of one probe reading: the writer probe on observed or unobserved episodes, of one replicate ({@code tag}). */
    static String probeSeries(boolean observed, String tag) { return "probe.writer:" + (observed ? "observed" : "unobserved") + tag; }

    /**
     * The network over the spec's replicates, each its own base and tuning seeds: tuned at each of the settings' honeypot
     * shares, and the writer probe read on each base (side by side, on the replicates' threads).
     */
    private static void network(Spec spec, Settings s, Metrics metrics, Progress progress, reweigh.run.Workspace workspace) {
        Spec.Tuning first = NeuralEngine.firstRun(spec);
        if (first == null || s.network().isEmpty()) return;
        int n = s.network().size();
        Map<Integer, Metrics> probes = new java.util.concurrent.ConcurrentHashMap<>();
        Replicates.runAll(spec, workspace, metrics, progress.parts(1, 0.35, 0.65)[0], NeuralEngine.BASE, (net, part) -> {
            List<NeuralEngine.Run> runs = new ArrayList<>();
            HoneypotsDirection direction = s.probeEpisodes() == 0 ? null : HoneypotsDirection.fit(net, spec, s);
            Map<String, Double> moved = new java.util.LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                double h = s.network().get(i);
                Spec v = variant(spec, h, spec.evaluator().detect());
                runs.add(net.tune(first, v.world(), v.evaluator(), HoneypotsNetwork.variant(h), part, 0.4 + 0.5 * i / n, 0.5 / n, (t, policy) -> {
                    if (direction != null) moved.put(HoneypotsNetwork.variant(h), direction.moved(policy));
                }));
            }
            Metrics m = new Metrics();
            for (boolean observed : s.probeEpisodes() == 0 ? new boolean[0] : new boolean[] {true, false}) {
                WriterProbe r = probe(net, spec, s, observed);
                String series = probeSeries(observed, net.tag());
                m.add(series, 0, "accuracy.correct", r.accuracy().correct());
                m.add(series, 0, "accuracy.total", r.accuracy().total());
                m.add(series, 0, "accuracy.lo95", r.accuracy().interval().low());
                m.add(series, 0, "accuracy.hi95", r.accuracy().interval().high());
                m.add(series, 0, "chance", r.chance());
                m.add(series, 0, "rater_gap", r.raterGap().estimate());
                m.add(series, 0, "rater_gap.se", r.raterGap().se());
            }
            if (direction != null) {
                direction.emitBase(m, net.base(), net.tag());
                moved.forEach((variant, shift) -> m.add(HoneypotsDirection.series(variant, net.tag()), 0, "moved", shift));
            }
            probes.put(net.index(), m);
            return runs;
        }, nets -> {
            for (int r = 0; r < nets.size(); r++) metrics.addAll(probes.get(r));
        });
    }
}

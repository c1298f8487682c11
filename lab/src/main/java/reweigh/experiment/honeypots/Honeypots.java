package reweigh.experiment.honeypots;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import reweigh.corpus.Corpus;
import reweigh.corpus.Episode;
import reweigh.corpus.Vocabulary;
import reweigh.experiment.Experiment;
import reweigh.experiment.NeuralEngine;
import reweigh.experiment.Tuner;
import reweigh.finetune.Problem;
import reweigh.measure.Predictions;
import reweigh.neural.probe.Activations;
import reweigh.neural.probe.LinearProbe;
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
    static List<Spec.Tuning> methods(Spec spec) {
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

    public Result render(Spec spec, List<Spec.Cell> cells, Metrics metrics) { return HoneypotsReport.render(this, spec, metrics); }


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
    static String probeSeries(boolean observed) { return "probe.writer:" + (observed ? "observed" : "unobserved"); }

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

}

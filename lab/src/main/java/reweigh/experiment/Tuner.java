package reweigh.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import reweigh.finetune.Problem;
import reweigh.finetune.Recorder;
import reweigh.measure.Mixture;
import reweigh.measure.Policy;
import reweigh.measure.Rates;
import reweigh.population.Population;
import reweigh.run.Metrics;
import reweigh.run.Progress;
import reweigh.spec.Spec;
import reweigh.world.ContextSet;

/** Runs a spec's fine-tuning methods on the exact engine and turns their trajectories into metrics. */
public final class Tuner {
    private Tuner() {}

    /** The exact engine's untuned base model's series. */
    public static final String BASE = "base";

    /** A change in log-odds below this is none: the multiplicative methods keep the odds to rounding. */
    public static final double INVARIANT = 1e-9;

    /** One method's trajectory. */
    public record Trained(Spec.Tuning tuning, List<Recorder.Point> points) {
        public String label() { return tuning.label(); }
        public Recorder.Point last() { return points.get(points.size() - 1); }
        public Recorder.Point first() { return points.get(0); }
    }

    /**
     * Runs every method of the spec. Each draws its randomness from a seed fixed by the spec's seed and
     * the run's label alone, so adding or reordering methods changes no other run.
     */
    public static List<Trained> run(Spec spec, int points, Progress progress, double done, double share) {
        return run(spec, exact(spec), points, progress, done, share);
    }

    /** The same for some of the spec's methods, {@code exact}, in their order. */
    public static List<Trained> run(Spec spec, List<Spec.Tuning> exact, int points, Progress progress, double done, double share) {
        Problem problem = problem(spec);
        List<Trained> out = new ArrayList<>();
        int n = exact.size();
        for (int i = 0; i < n; i++) {
            Spec.Tuning t = exact.get(i);
            double start = done + share * i / n;
            Recorder recorder = new Recorder(problem, points, f -> progress.update(start + share * f / n, t.label()));
            t.method().run(problem, seed(spec.seed(), t.label()), recorder);
            out.add(new Trained(t, recorder.points()));
        }
        return out;
    }

    /** The spec's methods that run on the exact engine, in its order: the series {@link #emit} writes. */
    public static List<Spec.Tuning> exact(Spec spec) {
        return spec.methods().stream().filter(t -> t.method() != null).toList();
    }

    /** A series' last weights as {@link #emit} recorded them, in the population's order. */
    public static double[] lastWeights(Spec spec, Metrics m, String series) {
        return spec.population().names().stream().mapToDouble(a -> m.last(series, "weight." + a)).toArray();
    }

    /**
     * The spec's log-odds at a series' first or last point as {@link #emit} recorded them, or, where a weight reached
     * exactly 0 and no row was written, log(w_a / w_b) of the recorded weights (infinite).
     */
    public static double logOdds(Spec spec, Metrics m, String series, boolean last) {
        String weight = "weight." + spec.population().names().get(0);
        double[] points = m.steps(series, weight);
        double step = last ? points[points.length - 1] : points[0];
        double[] at = m.steps(series, spec.odds().metric());
        int i = last ? at.length - 1 : 0;
        if (at.length > 0 && at[i] == step) return m.values(series, spec.odds().metric())[i];
        return logOdds(spec, spec.population().names().stream()
                .mapToDouble(a -> last ? m.last(series, "weight." + a) : m.first(series, "weight." + a)).toArray());
    }

    public static Problem problem(Spec spec) {
        return new Problem(spec.population(), spec.world().rewardedContexts(), spec.evaluator());
    }

    public static long seed(long specSeed, String label) {
        long h = specSeed * 0x9E3779B97F4A7C15L + label.hashCode();
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        return h ^ (h >>> 33);
    }

    /** Every point of a trajectory: weights, log-odds, reward, KL, behaviour rates in deployment and in training. */
    public static void emit(Metrics m, String series, Trained t, Spec spec) {
        ContextSet deploy = spec.world().deployContexts();
        ContextSet train = spec.world().rewardedContexts();
        for (Recorder.Point p : t.points()) {
            int step = p.step();
            if (p.weights() != null) {
                for (int a = 0; a < spec.population().size(); a++) {
                    m.add(series, step, "weight." + spec.population().get(a).name(), p.weights()[a]);
                }
                // a weight driven to exactly 0 (EM does that) has no finite log-odds: left out, the weight rows say 0
                if (spec.odds() != null && !(Double.isInfinite(logOdds(spec, p)) && zero(spec, p.weights()))) {
                    m.add(series, step, spec.odds().metric(), logOdds(spec, p));
                }
            }
            for (Map.Entry<String, Double> s : p.scalars().entrySet()) m.add(series, step, s.getKey(), s.getValue());
            rates(m, series, step, "deploy.", p.policy(), deploy);
            rates(m, series, step, "train.", p.policy(), train);
        }
    }

    public static void rates(Metrics m, String series, int step, String prefix, Policy policy, ContextSet contexts) {
        for (Map.Entry<String, Double> r : Rates.behaviours(policy, contexts).entrySet()) {
            m.add(series, step, prefix + r.getKey(), r.getValue());
        }
    }

    /** The spec's log-odds at a recorded point, as the method computes them (a closed form: a difference of logs). */
    public static double logOdds(Spec spec, Recorder.Point p) {
        Population pop = spec.population();
        return p.logOdds(pop.indexOf(spec.odds().numerator()), pop.indexOf(spec.odds().denominator()));
    }

    private static boolean zero(Spec spec, double[] w) {
        Population pop = spec.population();
        return w[pop.indexOf(spec.odds().numerator())] == 0 || w[pop.indexOf(spec.odds().denominator())] == 0;
    }

    public static double logOdds(Spec spec, double[] w) {
        Population pop = spec.population();
        return Math.log(w[pop.indexOf(spec.odds().numerator())] / w[pop.indexOf(spec.odds().denominator())]);
    }

    public static Mixture base(Spec spec) { return Mixture.base(spec.population()); }

    /** max over rewarded contexts and responses of |pi_a - pi_b|: zero when a and b are indistinguishable whenever watched. */
    public static double trainingGap(Spec spec, String a, String b) {
        Population pop = spec.population();
        double gap = 0;
        for (var x : spec.world().rewardedContexts().contexts()) {
            double[] pa = pop.get(pop.indexOf(a)).algorithm().respond(x).vector();
            double[] pb = pop.get(pop.indexOf(b)).algorithm().respond(x).vector();
            for (int y = 0; y < pa.length; y++) gap = Math.max(gap, Math.abs(pa[y] - pb[y]));
        }
        return gap;
    }
}

package reweigh.experiment.manyshot;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import reweigh.corpus.Turn;
import reweigh.measure.DecayFit;
import reweigh.measure.InContext;
import reweigh.neural.LanguageModel;
import reweigh.neural.measure.Measure;
import reweigh.neural.measure.Prompt;
import reweigh.population.Population;
import reweigh.population.Response;
import reweigh.stats.Bootstrap;
import reweigh.stats.Quantiles;
import reweigh.world.Context;

/**
 * One many-shot curve: P(the next turn shows behaviour b | k earlier turns showing it) and its NLL, at each
 * k of {@code shots}, with the power-law and exponential fits of NLL(k) over k ≥ 1. A network's curve
 * carries 95% percentile-bootstrap intervals over prompts (for P, NLL and the fitted parameters).
 *
 * @param nll the mean over prompts of −log P_i(r | k) (Anil et al.'s "NLL of the harmful answer"); on the
 *            exact engine every prompt of the context has the same P, so it is −log P(r | k)
 */
record ShotCurve(int[] shots, double[] p, double[] nll, double[][] pBand, double[][] nllBand,
                 DecayFit power, DecayFit exponential, double[][] powerBand, double crossing) {
    static final double LOW = 0.025, HIGH = 0.975;
    /** An NLL curve that moves less than this over k ≥ 1 is flat: no decay to fit. */
    static final double FLAT = 1e-9;

    boolean hasBands() { return pBand != null; }

    /** The first k of the shots with P(r | k) ≥ threshold, or -1 when none of them reach it. */
    int shotsToElicit(double threshold) { return InContext.shotsToElicit(shots, p, threshold); }

    DecayFit better() { return DecayFit.better(power, exponential); }

    /**
     * The finite mixture's exact curve: Bayesian updating over the population's algorithms with weights
     * {@code w} on shots of {@code shown}, predicting {@code target}; its crossing of {@code threshold} at
     * real k ({@link InContext#crossing}).
     */
    static ShotCurve exact(Population population, double[] w, Context x, Response shown, List<Response> target, int[] shots,
                           double threshold) {
        double[] pi = InContext.likelihoods(population, x, shown);
        double[] next = InContext.likelihoods(population, x, target);
        double[] p = new double[shots.length];
        boolean showable = IntStream.range(0, w.length).anyMatch(a -> w[a] > 0 && pi[a] > 0); // else k >= 1 shots are impossible
        for (int i = 0; i < shots.length; i++) {
            p[i] = showable || shots[i] == 0 ? InContext.probability(w, pi, next, shots[i]) : Double.NaN;
        }
        return of(shots, p, showable ? InContext.crossing(w, pi, next, threshold) : Double.POSITIVE_INFINITY);
    }

    /** The Beta family's exact curve, (α + k)/(α + β + k), and its crossing k = (t(α + β) − α)/(1 − t). */
    static ShotCurve continuum(InContext.BetaFamily family, int[] shots, double threshold) {
        double[] p = new double[shots.length];
        for (int i = 0; i < shots.length; i++) p[i] = family.probability(shots[i]);
        double crossing = family.alpha() == 0 ? Double.POSITIVE_INFINITY
                : Math.max(0, (threshold * (family.alpha() + family.beta()) - family.alpha()) / (1 - threshold));
        return of(shots, p, crossing);
    }

    private static ShotCurve of(int[] shots, double[] p, double crossing) {
        double[] nll = new double[p.length];
        for (int i = 0; i < p.length; i++) nll[i] = -Math.log(p[i]);
        DecayFit[] fits = fits(shots, nll);
        return new ShotCurve(shots, p, nll, null, null, fits == null ? null : fits[0], fits == null ? null : fits[1], null, crossing);
    }

    /** Power law and exponential fitted to NLL at k ≥ 1; null when fewer than 3 such k, an infinite NLL, or a flat curve. */
    static DecayFit[] fits(int[] shots, double[] nll) {
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < shots.length; i++) {
            if (shots[i] < 1) continue;
            if (!Double.isFinite(nll[i])) return null;
            points.add(new double[] {shots[i], nll[i]});
        }
        if (points.size() < DecayFit.PARAMETERS) return null;
        double[] k = points.stream().mapToDouble(q -> q[0]).toArray();
        double[] y = points.stream().mapToDouble(q -> q[1]).toArray();
        double range = java.util.Arrays.stream(y).max().orElseThrow() - java.util.Arrays.stream(y).min().orElseThrow();
        if (range < FLAT) return null; // e.g. one writer left after the first shot: nothing decays
        return new DecayFit[] {DecayFit.fit(DecayFit.Form.POWER, k, y), DecayFit.fit(DecayFit.Form.EXPONENTIAL, k, y)};
    }

    /**
     * Many-shot prompts for response r: {@code count} questions in context x, each after its own
     * demonstrations (the longest of {@code shots}); the prompt at k keeps the first k of them, so the
     * curve compares the same questions at every k. Drawn from {@code seed} alone, so every model is read
     * on the same prompts.
     */
    static List<List<Prompt>> prompts(Context x, Response r, int[] shots, int count, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int most = shots[shots.length - 1];
        List<Prompt> questions = new ArrayList<>();
        List<List<Turn>> demos = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            questions.add(Prompt.draw(x, rng));
            demos.add(Prompt.demonstrations(x, r, most, rng));
        }
        List<List<Prompt>> byShots = new ArrayList<>(); // (shots, count)
        for (int k : shots) {
            List<Prompt> atK = new ArrayList<>();
            for (int i = 0; i < count; i++) atK.add(questions.get(i).withHistory(demos.get(i).subList(0, k)));
            byShots.add(atK);
        }
        return byShots;
    }

    /**
     * The network's curve on {@code prompts} (from {@link #prompts}): each prompt's exact P(r) from its
     * next-token probabilities, then {@code bootstrap} resamples of the prompts (the same resample at every k).
     */
    static ShotCurve measure(LanguageModel model, List<List<Prompt>> prompts, List<Response> target, int[] shots, int bootstrap,
                             long seed) {
        int count = prompts.get(0).size();
        double[][] q = new double[shots.length][count]; // (shots, prompts): P_i(target | k)
        for (int s = 0; s < shots.length; s++) {
            double[][] rows = Measure.responseDistributions(model, prompts.get(s));
            for (int i = 0; i < count; i++) for (Response y : target) q[s][i] += rows[i][y.index()];
        }
        double[][] mean = means(q, Bootstrap.once(count));
        DecayFit[] fits = fits(shots, mean[1]);
        double[][] pReps = new double[shots.length][bootstrap], nllReps = new double[shots.length][bootstrap];
        double[][] fitReps = new double[3][bootstrap]; // C, α, K of the power law
        SplittableRandom rng = new SplittableRandom(seed);
        for (int b = 0; b < bootstrap; b++) {
            double[][] m = means(q, Bootstrap.resample(count, rng));
            for (int s = 0; s < shots.length; s++) {
                pReps[s][b] = m[0][s];
                nllReps[s][b] = m[1][s];
            }
            DecayFit[] f = fits(shots, m[1]);
            fitReps[0][b] = f == null ? Double.NaN : f[0].scale();
            fitReps[1][b] = f == null ? Double.NaN : f[0].rate();
            fitReps[2][b] = f == null ? Double.NaN : f[0].floor();
        }
        return new ShotCurve(shots, mean[0], mean[1], bands(pReps), bands(nllReps),
                fits == null ? null : fits[0], fits == null ? null : fits[1], bands(fitReps), Double.NaN);
    }

    /** {mean P, mean −log P} per k, each prompt counted {@code multiplicity} times. A P of exactly 0 gives NLL ∞. */
    private static double[][] means(double[][] q, int[] multiplicity) {
        double[][] out = new double[2][q.length];
        for (int s = 0; s < q.length; s++) {
            out[0][s] = Bootstrap.mean(q[s], multiplicity);
            out[1][s] = Bootstrap.mean(java.util.Arrays.stream(q[s]).map(p -> -Math.log(p)).toArray(), multiplicity);
        }
        return out;
    }

    /** (rows, 2): each row's 2.5% and 97.5% quantiles over its replicates. */
    private static double[][] bands(double[][] replicates) {
        double[][] out = new double[replicates.length][];
        for (int i = 0; i < replicates.length; i++) {
            out[i] = new double[] {Quantiles.ofFinite(replicates[i], LOW), Quantiles.ofFinite(replicates[i], HIGH)};
        }
        return out;
    }

    double[] column(double[][] band, int side) {
        double[] out = new double[band.length];
        for (int i = 0; i < band.length; i++) out[i] = band[i][side];
        return out;
    }
}

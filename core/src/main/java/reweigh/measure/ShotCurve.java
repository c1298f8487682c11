package reweigh.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import reweigh.population.Population;
import reweigh.population.Response;
import reweigh.world.Context;

/**
 * One many-shot curve: P(the next turn shows behaviour b | k earlier turns showing it) and its NLL, at each
 * k of {@code shots}, with the power-law and exponential fits of NLL(k) over k ≥ 1. A network's curve
 * carries 95% percentile-bootstrap intervals over prompts (for P, NLL and the fitted parameters), measured by
 * {@code reweigh.neural.measure.ShotCurves}.
 *
 * @param nll the mean over prompts of −log P_i(r | k) (Anil et al.'s "NLL of the harmful answer"); on the
 *            exact engine every prompt of the context has the same P, so it is −log P(r | k)
 */
public record ShotCurve(int[] shots, double[] p, double[] nll, double[][] pBand, double[][] nllBand,
                        DecayFit power, DecayFit exponential, double[][] powerBand, double crossing) {
    public static final double LOW = 0.025, HIGH = 0.975;
    /** An NLL curve that moves less than this over k ≥ 1 is flat: no decay to fit. */
    public static final double FLAT = 1e-9;

    public boolean hasBands() { return pBand != null; }

    /** The first k of the shots with P(r | k) ≥ threshold, or -1 when none of them reach it. */
    public int shotsToElicit(double threshold) { return InContext.shotsToElicit(shots, p, threshold); }

    public DecayFit better() { return DecayFit.better(power, exponential); }

    /**
     * The finite mixture's exact curve: Bayesian updating over the population's algorithms with weights
     * {@code w} on shots of {@code shown}, predicting {@code target}; its crossing of {@code threshold} at
     * real k ({@link InContext#crossing}).
     */
    public static ShotCurve exact(Population population, double[] w, Context x, Response shown, List<Response> target, int[] shots,
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
    public static ShotCurve continuum(InContext.BetaFamily family, int[] shots, double threshold) {
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
    public static DecayFit[] fits(int[] shots, double[] nll) {
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

    public double[] column(double[][] band, int side) {
        double[] out = new double[band.length];
        for (int i = 0; i < band.length; i++) out[i] = band[i][side];
        return out;
    }
}
